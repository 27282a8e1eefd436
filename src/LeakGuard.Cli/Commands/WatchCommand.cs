using System.CommandLine;
using LeakGuard.Cli.Watch;
using LeakGuard.Core;
using LeakGuard.Core.Findings;
using LeakGuard.Service;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Sources.Targets;
using LeakGuard.Storage;
using LeakGuard.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeakGuard.Cli.Commands;

/// <summary>
/// <c>leakguard watch --config FILE</c>: the service, one Microsoft.Extensions.Hosting host that
/// Kestrel (the API), one <see cref="TargetWatcher"/> per target and the alert delivery loop run
/// in. The host's console lifetime turns SIGTERM and Ctrl-C into an orderly stop: watchers stop
/// polling, a scan in progress gets <see cref="ShutdownGrace"/> to finish and be recorded, and
/// the process exits 0.
/// </summary>
internal static class WatchCommand
{
    private const string Name = "watch";

    /// <summary>How often the delivery loop looks at the outbox when it found nothing due.</summary>
    private static readonly TimeSpan DeliveryIdle = TimeSpan.FromSeconds(1);

    /// <summary>How long a scan running at SIGTERM may go on; well inside Docker's stop timeout
    /// as compose sets it (30 s).</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(20);

    public static bool Handles(ParseResult parsed) => parsed.CommandResult.Command.Name == Name;

    public static Command Create()
    {
        var scan = new ScanCommandOptions(ScanOptionGroups.Rules | ScanOptionGroups.Limits);
        var config = new Option<string>("--config", "-c")
        {
            Description = "The service configuration, leakguard.yaml",
            Required = true,
        };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Log compact JSON, one event per line, instead of text" };
        var command = new Command(Name, "Run the service: watch targets, store findings, send alerts, serve the API") { config, jsonLogs };
        scan.AddTo(command);
        command.SetAction((parsed, cancellation) => RunAsync(parsed, scan, parsed.GetValue(config)!, parsed.GetValue(jsonLogs), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, ScanCommandOptions scan, string configPath, bool jsonLogs, CancellationToken cancellation)
    {
        ServiceSettings settings;
        try
        {
            settings = ServiceConfigurationParser.Load(configPath);
        }
        catch (ServiceConfigurationException e)
        {
            foreach (string problem in e.Problems)
            {
                await Stderr.LineAsync($"leakguard: {problem}");
            }
            foreach (string warning in e.Warnings)
            {
                await Stderr.LineAsync($"leakguard: warning: {warning}");
            }
            return LeakGuardCommand.Error;
        }
        Targets.Validate(settings.Targets.Select(TargetWatcher.ScanTargetName));
        ApiKey key;
        try
        {
            key = ApiKey.FromEnvironment();
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
        await using var store = await OpenStoreAsync(settings.Store, cancellation);
        await using var logger = ServiceLogging.CreateLogger(jsonLogs);
        foreach (string warning in settings.Warnings)
        {
            logger.Warning("{Warning}", warning);
        }
        var fingerprintKey = await StoreFingerprintKeyAsync(store, logger, cancellation);
        var scanSettings = scan.Read(parsed, []) with { FingerprintKey = fingerprintKey };
        using var session = ScanCommandOptions.Open(scanSettings);
        // Without a --protected file, the index `protect push` put in the store, kept current.
        var fromStore = scan.HasProtectedIndex(parsed) ? null : new StoreProtectedCode(store,
            index => ScanCommandOptions.Open(scanSettings with
            {
                Limits = scanSettings.Limits with { ProtectedCode = index is null ? null : scan.ProtectedCode(parsed, index) },
            }),
            logger);
        // Read at start: a bad test-only endpoint setting or seal key fails now, not at the first secret found.
        bool validating = settings.Targets.Any(t => t.Validate);
        var validation = validating ? ValidationEndpoints.FromEnvironment() : null;
        var seal = validating ? SealFromEnvironment() : null;
        if (validating && seal is null)
        {
            logger.Warning("Found secrets are validated when found but not again later: set {Variable} to let the store keep them sealed",
                SecretSeal.KeyVariable);
        }
        var metrics = new ServiceMetrics();
        using var scanner = new WatchScanner(session, fromStore, validation, seal, metrics);
        using var alertChannels = new AlertChannels(settings.Alerts);
        var outbox = new OutboxChannels(settings.Alerts, alertChannels);
        var delivery = new AlertDeliveryLoop(store, outbox, new AlertRetryPolicy(), metrics, logger, TimeProvider.System);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var host = ApiServer.Build(settings.Api.Listen, key, metrics, logger, services =>
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
        host.Lifetime.ApplicationStarted.Register(() =>
        {
            logger.Information("Watching {Count} targets; API on {Listen}", settings.Targets.Count, settings.Api.Listen);
            started.TrySetResult();
        });
        host.Lifetime.ApplicationStopping.Register(() => logger.Information("Stopping"));
        await host.RunAsync();
        logger.Information("Stopped");
        return LeakGuardCommand.Clean;
    }

    /// <summary>The store keeps the key its fingerprints are made with, so they stay valid whatever
    /// machine the worker runs on. $LEAKGUARD_FINGERPRINT_KEY (else a new random key) is the key of a
    /// store that has none yet; a store's own key always wins, or every finding would be new again.</summary>
    private static async Task<FingerprintKey> StoreFingerprintKeyAsync(ILeakGuardStore store, Serilog.ILogger logger, CancellationToken cancellation)
    {
        string? configured = UserFingerprintKey.FromEnvironment();
        string kept = await store.GetFingerprintKeyAsync(configured ?? FingerprintKey.Generate(), cancellation);
        if (configured is not null && configured != kept)
        {
            logger.Warning("{Variable} is not the key this store's fingerprints are made with; the store's key is used", UserFingerprintKey.Variable);
        }
        return new FingerprintKey(kept);
    }

    private static SecretSeal? SealFromEnvironment()
    {
        try
        {
            return SecretSeal.FromEnvironment();
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <exception cref="UsageException">The store's name or URL is malformed.</exception>
    public static async Task<ILeakGuardStore> OpenStoreAsync(string store, CancellationToken cancellation)
    {
        try
        {
            return await StoreFactory.OpenAsync(store, cancellation: cancellation);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
