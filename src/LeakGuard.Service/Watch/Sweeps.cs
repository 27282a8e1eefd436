using System.Collections.Concurrent;
using LeakGuard.Core.Findings;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Sources.Targets;
using LeakGuard.Storage;

namespace LeakGuard.Service.Watch;

/// <summary>An on-demand scan of any target <c>scan</c> takes (<c>POST /api/scans</c>), and how far it got.</summary>
public sealed class Sweep(long id, string target, DateTimeOffset startedAt)
{
    private long _scans;
    private long _bytes;
    private long _newFindings;

    public long Id { get; } = id;
    public string Target { get; } = target;
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>running, done or failed.</summary>
    public string Status { get; private set; } = "running";
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Releases, commit batches or deploys scanned so far.</summary>
    public long Scans => Interlocked.Read(ref _scans);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long NewFindings => Interlocked.Read(ref _newFindings);

    internal void Scanned(long bytes, int newFindings)
    {
        Interlocked.Increment(ref _scans);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _newFindings, newFindings);
    }

    internal void Finish(DateTimeOffset at, string? error)
    {
        (Error, FinishedAt) = (error, at);
        Status = error is null ? "done" : "failed";
    }
}

/// <summary>
/// Sweeps run in the worker as one poll of a watcher made for the target: each release, commit
/// batch or deploy is scanned by the worker's one scanner (after the watched targets' scans
/// queued before it), recorded in the store under the target's name and alerted under the same
/// rules as a watched target's. A target already swept has its recorded releases and commits
/// skipped, as a watched target's are. Kept in memory: the last <see cref="Kept"/> sweeps.
/// </summary>
internal sealed class Sweeps(WatchScanner scanner, ILeakGuardStore store, OutboxChannels outbox, Serilog.ILogger logger, TimeProvider time,
    TimeSpan shutdownGrace)
{
    private const int Kept = 100;

    private readonly ConcurrentDictionary<long, Sweep> _sweeps = new();
    private long _lastId;

    public Sweep? Get(long id) => _sweeps.GetValueOrDefault(id);

    /// <summary>Starts a sweep of <paramref name="target"/> (as <c>scan</c> names it:
    /// <c>npm:@acme/*@all</c>, <c>nuget:Acme.Client@&gt;=3</c>, <c>git:URL</c>, <c>web:URL</c>).</summary>
    /// <param name="feed">npm's registry or NuGet's source, when not the default.</param>
    /// <exception cref="ArgumentException">The target is not one a sweep can scan (the message says why).</exception>
    public Sweep Start(string target, Uri? feed, CancellationToken stopping)
    {
        var settings = Settings(target, feed);
        try
        {
            Targets.Validate([TargetWatcher.ScanTargetName(settings)]);
        }
        catch (Core.UsageException e)
        {
            throw new ArgumentException(e.Message, nameof(target), e);
        }
        // Named as the store, logs and alerts name a target: credentials in a remote's URL dropped.
        var sweep = new Sweep(Interlocked.Increment(ref _lastId), RedactedUrl.InText(settings.DisplayName), time.GetUtcNow());
        _sweeps[sweep.Id] = sweep;
        foreach (long old in _sweeps.Keys.Where(id => id <= sweep.Id - Kept))
        {
            _sweeps.TryRemove(old, out _);
        }
        var counting = new ServiceMetrics();
        counting.ScanRecorded = sweep.Scanned;
        var watcher = new TargetWatcher(settings, scanner, store, outbox, counting, logger, time, shutdownGrace);
        logger.Information("sweep {Id}: {Target}: started", sweep.Id, sweep.Target);
        _ = Task.Run(async () =>
        {
            string? error = null;
            try
            {
                await watcher.PollOnceAsync(stopping, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = e is OperationCanceledException ? "stopped with the worker" : RedactedUrl.InText(e.Message);
            }
            sweep.Finish(time.GetUtcNow(), error);
            logger.Information("sweep {Id}: {Target}: {Status}: {Scans} scans, {New} new findings{Error}",
                sweep.Id, sweep.Target, sweep.Status, sweep.Scans, sweep.NewFindings, error is null ? "" : $" ({error})");
        }, CancellationToken.None);
        return sweep;
    }

    private static TargetSettings Settings(string target, Uri? feed)
    {
        int colon = target.IndexOf(':');
        var kind = colon < 0 ? (TargetKind?)null : target[..colon] switch
        {
            "npm" => TargetKind.Npm,
            "nuget" => TargetKind.NuGet,
            "git" => TargetKind.Git,
            "web" => TargetKind.Web,
            _ => null,
        };
        if (kind is not { } known || colon == target.Length - 1)
        {
            throw new ArgumentException($"'{target}': name a target as scan does: npm:PACKAGE[@VERSIONS], nuget:ID[@VERSIONS], git:URL or web:URL", nameof(target));
        }
        if (feed is not null && known is not (TargetKind.Npm or TargetKind.NuGet))
        {
            throw new ArgumentException("registry: only npm and NuGet targets have one", nameof(feed));
        }
        return new TargetSettings(known, target[(colon + 1)..], TargetSettings.DefaultEvery, feed, 0);
    }
}
