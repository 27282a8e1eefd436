using System.CommandLine;
using LeakGuard.Core;
using LeakGuard.Core.Findings;
using LeakGuard.Service;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Service.Watch;
using LeakGuard.Sources.Targets;
using LeakGuard.Storage;
using LeakGuard.Validation;

namespace LeakGuard.Cli.Commands;

/// <summary>
/// <c>leakguard watch --config FILE</c>: reads the configuration, the API key and the scan options,
/// opens the store and the scan session, and starts the worker (<see cref="WatchWorker"/>, in
/// LeakGuard.Service); exits 0 after an orderly stop (SIGTERM, Ctrl-C).
/// </summary>
internal static class WatchCommand
{
    private const string Name = "watch";

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
        await WatchWorker.RunAsync(new WatchWorkerSetup(settings, store, logger, key, session, fromStore, validation, seal));
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
