using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Service.Watch;
using LeakGuard.Storage;

namespace LeakGuard.Service.Cluster;

/// <summary>
/// What this silo's grains work with, one per process: the configured targets by the name the
/// store knows them by, the runner that scans and records on this silo, and the host's stopping
/// token. Every silo of a cluster reads the same <c>targets:</c>; a grain activated on a silo that
/// does not know its target stops watching it.
/// </summary>
internal sealed class WatchRuntime(ServiceSettings settings, ReleaseJobRunner runner, ILeakGuardStore store, OutboxChannels outbox,
    ServiceMetrics metrics, Serilog.ILogger logger, TimeSpan shutdownGrace, CancellationToken stopping)
{
    private readonly Dictionary<string, TargetSettings> targets = settings.Targets.ToDictionary(TargetWatcher.StoredName, StringComparer.Ordinal);

    public IReadOnlyCollection<string> TargetNames => targets.Keys;

    public ReleaseJobRunner Runner => runner;

    public Serilog.ILogger Logger => logger;

    public TimeSpan ShutdownGrace => shutdownGrace;

    /// <summary>Cancelled when the host begins to stop (SIGTERM): loops stop polling.</summary>
    public CancellationToken Stopping => stopping;

    public TargetSettings? Target(string name) => targets.GetValueOrDefault(name);

    /// <summary>A watcher whose release jobs run on <paramref name="jobs"/>; a sweep's names it in its findings.</summary>
    public TargetWatcher Watcher(TargetSettings target, IReleaseJobs jobs, Func<long, int, Task>? scanned = null, long? sweep = null) =>
        new(target, runner, store, outbox, metrics, logger, TimeProvider.System, shutdownGrace, jobs: jobs, scanned: scanned, sweep: sweep);
}
