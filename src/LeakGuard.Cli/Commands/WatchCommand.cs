using System.CommandLine;
using System.Runtime.InteropServices;
using LeakGuard.Cli.Watch;
using LeakGuard.Service;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Storage;

namespace LeakGuard.Cli.Commands;

/// <summary>
/// <c>leakguard watch --config FILE</c>: the service. Plain loops, one per target plus one for
/// delivery, share one cancellation that SIGTERM and Ctrl-C trigger; Kestrel is started and
/// stopped around them. A generic host would add a second lifetime and DI container to the one
/// the API already has, for nothing these loops need.
/// </summary>
internal static class WatchCommand
{
    /// <summary>How often the delivery loop looks at the outbox when it found nothing due.</summary>
    private static readonly TimeSpan DeliveryIdle = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var engine = new EngineOptions();
        var config = new Option<string>("--config", "-c")
        {
            Description = "The service configuration, leakguard.yaml",
            Required = true,
        };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Log compact JSON, one event per line, instead of text" };
        var command = new Command("watch", "Run the service: watch targets, store findings, send alerts, serve the API") { config, jsonLogs };
        engine.AddTo(command);
        command.SetAction((parsed, cancellation) => RunAsync(parsed, engine, parsed.GetValue(config)!, parsed.GetValue(jsonLogs), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, EngineOptions engine, string configPath, bool jsonLogs, CancellationToken cancellation)
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
                await Console.Error.WriteLineAsync($"leakguard: {problem}");
            }
            foreach (string warning in e.Warnings)
            {
                await Console.Error.WriteLineAsync($"leakguard: warning: {warning}");
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
        var rules = engine.LoadRules(parsed);
        using var matcher = engine.CreateEngine(parsed, rules);
        using var scanner = new WatchScanner(rules, matcher);
        await using var store = await OpenStoreAsync(settings.Store, cancellation);
        await using var logger = ServiceLogging.CreateLogger(jsonLogs);
        foreach (string warning in settings.Warnings)
        {
            logger.Warning("{Warning}", warning);
        }
        using var alertChannels = new AlertChannels(settings.Alerts);
        var outbox = new OutboxChannels(settings.Alerts, alertChannels);
        var metrics = new ServiceMetrics();

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // Taking the signals ourselves (Cancel = true) keeps the runtime from ending the process
        // before the loops have let go of the scan in progress and the store.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        var api = ApiServer.Build(settings.Api.Listen, key, metrics, logger);
        await using (api)
        {
            FindingsEndpoints.Map(api, store);
            await api.StartAsync(cancellation);
            logger.Information("Watching {Count} targets; API on {Listen}", settings.Targets.Count, settings.Api.Listen);

            var delivery = new AlertDeliveryLoop(store, outbox, new AlertRetryPolicy(), metrics, logger, TimeProvider.System);
            var loops = settings.Targets
                .Select(target => new TargetWatcher(target, scanner, store, outbox, metrics, logger, TimeProvider.System).RunAsync(stopping.Token))
                .Append(delivery.RunAsync(DeliveryIdle, stopping.Token))
                .ToList();
            await Task.WhenAll(loops);
            logger.Information("Stopping");
            await api.StopAsync(CancellationToken.None);
        }
        return LeakGuardCommand.Clean;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    private static async Task<ILeakGuardStore> OpenStoreAsync(string store, CancellationToken cancellation)
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
