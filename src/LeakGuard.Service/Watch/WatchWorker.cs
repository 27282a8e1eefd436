using LeakGuard.Core.Scanning;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Storage;
using LeakGuard.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeakGuard.Service.Watch;

/// <summary>What the worker runs with, read and opened by whoever starts it (the CLI's <c>watch</c>).</summary>
/// <param name="Session">The scan session every watcher shares.</param>
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
/// The service: one Microsoft.Extensions.Hosting host that Kestrel (the API), one
/// <see cref="TargetWatcher"/> per target and the alert delivery loop run in. The host's console
/// lifetime turns SIGTERM and Ctrl-C into an orderly stop: watchers stop polling, a scan in
/// progress gets <see cref="ShutdownGrace"/> to finish and be recorded, and the run returns.
/// </summary>
internal static class WatchWorker
{
    /// <summary>How often the delivery loop looks at the outbox when it found nothing due.</summary>
    private static readonly TimeSpan DeliveryIdle = TimeSpan.FromSeconds(1);

    /// <summary>How long a scan running at SIGTERM may go on; well inside Docker's stop timeout
    /// as compose sets it (30 s).</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(WatchWorkerSetup setup)
    {
        var (settings, store, logger) = (setup.Settings, setup.Store, setup.Logger);
        if (settings.Targets.Any(t => t.Validate) && setup.Seal is null)
        {
            logger.Warning("Found secrets are validated when found but not again later: set {Variable} to let the store keep them sealed",
                SecretSeal.KeyVariable);
        }
        var metrics = new ServiceMetrics();
        using var scanner = new WatchScanner(setup.Session, setup.ProtectedFromStore, setup.Validation, setup.Seal, metrics);
        using var alertChannels = new AlertChannels(settings.Alerts);
        var outbox = new OutboxChannels(settings.Alerts, alertChannels);
        var delivery = new AlertDeliveryLoop(store, outbox, new AlertRetryPolicy(), metrics, logger, TimeProvider.System);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var host = ApiServer.Build(settings.Api.Listen, setup.Key, metrics, logger, services =>
        {
            services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownGrace + TimeSpan.FromSeconds(10));
            services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
            foreach (var target in settings.Targets)
            {
                var watcher = new TargetWatcher(target, scanner, store, outbox, metrics, logger, TimeProvider.System, ShutdownGrace);
                services.AddSingleton<IHostedService>(new HostedLoop(started.Task, watcher.RunAsync));
            }
            services.AddSingleton<IHostedService>(new HostedLoop(started.Task, stopping => delivery.RunAsync(DeliveryIdle, stopping)));
        });
        FindingsEndpoints.Map(host, store);
        SweepEndpoints.Map(host, new Sweeps(scanner, store, outbox, logger, TimeProvider.System, ShutdownGrace), host.Lifetime.ApplicationStopping);
        host.Lifetime.ApplicationStarted.Register(() =>
        {
            logger.Information("Watching {Count} targets; API on {Listen}", settings.Targets.Count, settings.Api.Listen);
            started.TrySetResult();
        });
        host.Lifetime.ApplicationStopping.Register(() => logger.Information("Stopping"));
        await host.RunAsync();
        logger.Information("Stopped");
    }
}
