using System.Net;
using LeakGuard.Core.Scanning;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Cluster;
using LeakGuard.Service.Configuration;
using LeakGuard.Storage;
using LeakGuard.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;

namespace LeakGuard.Service.Watch;

/// <summary>What the worker runs with, read and opened by whoever starts it (the CLI's <c>watch</c>).</summary>
/// <param name="Session">The scan session this silo's scans share.</param>
/// <param name="ProtectedFromStore">Without a <c>--protected</c> file: the store's index, kept current.</param>
/// <param name="Validation">Where validators send their requests, when a target validates.</param>
/// <param name="Seal">The key validated secrets are sealed with for asking again, when set.</param>
internal sealed record WatchWorkerSetup(
    ServiceSettings Settings,
    ILeakGuardStore Store,
    Serilog.ILogger Logger,
    ApiKey Key,
    ScanSession Session,
    StoreProtectedCode? ProtectedFromStore,
    ValidationEndpoints? Validation,
    SecretSeal? Seal);

/// <summary>
/// The service: one Microsoft.Extensions.Hosting host that is an Orleans silo (<see cref="ClusterSilo"/>)
/// and runs Kestrel (the API) and the alert delivery loop. Each configured target is a
/// <see cref="TargetGrain"/>, active on one silo of the cluster; its release jobs are
/// <see cref="ReleaseJobGrain"/>s placed across the silos. The host's console lifetime turns
/// SIGTERM and Ctrl-C into an orderly stop: watchers stop polling, a scan in progress gets
/// <see cref="ShutdownGrace"/> to finish and be recorded, the silo leaves the cluster (its targets
/// move to the others), and the run returns.
/// </summary>
internal static class WatchWorker
{
    /// <summary>How often the delivery loop looks at the outbox when it found nothing due.</summary>
    private static readonly TimeSpan DeliveryIdle = TimeSpan.FromSeconds(1);

    /// <summary>How long a scan running at SIGTERM may go on; well inside Docker's stop timeout
    /// as compose sets it (30 s).</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(20);

    /// <summary>How long enrolling a target waits before trying again while the cluster forms.</summary>
    private static readonly TimeSpan EnrolRetry = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(WatchWorkerSetup setup)
    {
        var (settings, store, logger) = (setup.Settings, setup.Store, setup.Logger);
        if (settings.Targets.Any(t => t.Validate) && setup.Seal is null)
        {
            logger.Warning("Found secrets are validated when found but not again later: set {Variable} to let the store keep them sealed",
                SecretSeal.KeyVariable);
        }
        var metrics = new ServiceMetrics();
        int slots = settings.Cluster.Jobs ?? WatchScanner.SlotsForThisMachine();
        using var scanner = new WatchScanner(setup.Session, setup.ProtectedFromStore, setup.Validation, setup.Seal, metrics, slots);
        using var alertChannels = new AlertChannels(settings.Alerts);
        var outbox = new OutboxChannels(settings.Alerts, alertChannels);
        var delivery = new AlertDeliveryLoop(store, outbox, new AlertRetryPolicy(), metrics, logger, TimeProvider.System);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? postgres = StoreFactory.PostgresConnectionString(settings.Store);
        IPEndPoint? silo = null;

        await using var host = ApiServer.Build(settings.Api.Listen, setup.Key, metrics, logger, services =>
        {
            services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownGrace + TimeSpan.FromSeconds(10));
            services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
            services.AddSingleton(provider => new WatchRuntime(settings,
                new ReleaseJobRunner(scanner, store, outbox, metrics, logger), store, outbox, metrics, logger, ShutdownGrace,
                provider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
            services.AddSingleton<IHostedService>(provider =>
                new HostedLoop(started.Task, stopping => EnrolAsync(provider.GetRequiredService<IGrainFactory>(), settings, logger, stopping)));
            services.AddSingleton<IHostedService>(new HostedLoop(started.Task, stopping => delivery.RunAsync(DeliveryIdle, stopping)));
        }, host: builder => builder.UseOrleans(siloBuilder => silo = ClusterSilo.Configure(siloBuilder, settings.Cluster, postgres)));
        FindingsEndpoints.Map(host, store);
        SweepEndpoints.Map(host, new Sweeps(host.Services.GetRequiredService<IGrainFactory>()));
        host.Lifetime.ApplicationStarted.Register(() =>
        {
            logger.Information("Watching {Count} targets; API on {Listen}; silo {Silo} of {Cluster}, {Slots} scans at once",
                settings.Targets.Count, settings.Api.Listen, silo, postgres is null ? "a single-silo cluster (SQLite store)" : "the store's cluster",
                slots);
            started.TrySetResult();
        });
        host.Lifetime.ApplicationStopping.Register(() => logger.Information("Stopping"));
        try
        {
            await host.RunAsync();
        }
        catch (Exception e) when (!started.Task.IsCompleted && e is not IOException)
        {
            // The silo failed to start (its port taken, its membership table unreachable): one line
            // and exit 2, as a taken API port is, not an unhandled exception.
            var causes = Causes(e).ToList();
            throw new IOException(causes.OfType<Microsoft.AspNetCore.Connections.AddressInUseException>().Any()
                ? $"cluster.listen {silo}: address already in use"
                : $"the cluster silo could not start: {causes[^1].Message}", e);
        }
        logger.Information("Stopped");
    }

    /// <summary>An exception and its inner ones, outermost first.</summary>
    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e is AggregateException { InnerExceptions: [var only] } ? only : e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>Makes sure every configured target is watched somewhere in the cluster: each
    /// silo does this at start, and a target already active elsewhere stays there.</summary>
    private static async Task EnrolAsync(IGrainFactory grains, ServiceSettings settings, Serilog.ILogger logger, CancellationToken stopping)
    {
        var waiting = settings.Targets.Select(TargetWatcher.StoredName).ToList();
        while (waiting.Count > 0 && !stopping.IsCancellationRequested)
        {
            string? problem = null;
            foreach (string name in waiting.ToList())
            {
                try
                {
                    await grains.GetGrain<ITargetGrain>(name).WatchAsync().WaitAsync(stopping).ConfigureAwait(false);
                    waiting.Remove(name);
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    problem ??= e.Message;
                }
            }
            if (problem is not null)
            {
                logger.Warning("{Count} targets not enrolled in the cluster yet, trying again: {Problem}", waiting.Count, problem);
                try
                {
                    await Task.Delay(EnrolRetry, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
