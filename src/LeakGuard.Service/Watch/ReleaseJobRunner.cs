using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Core.Scanning;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Storage;
using Serilog;

namespace LeakGuard.Service.Watch;

/// <summary>
/// Scans what a watcher found new and records it, on the silo the work landed on: a release job
/// (one version, compared with the version before it that the store holds), a git poll's new
/// blobs, a site's deploy. Findings are recorded before the version is: a silo that dies in
/// between leaves the version to be scanned again, and the store's fingerprints keep that from
/// raising a second alert.
/// </summary>
internal sealed class ReleaseJobRunner(WatchScanner scanner, ILeakGuardStore store, OutboxChannels channels, ServiceMetrics metrics, ILogger logger)
{
    public WatchScanner Scanner => scanner;

    /// <summary>Scans one version and records it; the result has its manifest, or why it could not be scanned.</summary>
    public async Task<ReleaseJobResult> RunAsync(ReleaseJob job, SourceItem item, CancellationToken abandon)
    {
        var inventory = new FileInventory();
        WatchScan scan;
        NewRelease release;
        try
        {
            scan = await scanner.ScanAsync([item], inventory, abandon, job.Target.Validate, job.Backfill).ConfigureAwait(false);
            var result = scan.Result;
            if (result.Stats.Blobs == 0)
            {
                // The package could not be downloaded (a package always holds its manifest): tried
                // again next poll rather than recorded as scanned.
                return Failed(result.Warnings.FirstOrDefault()?.Message ?? $"{item.Path} could not be read");
            }
            // Read now, not when the poll listed: the version before this one may have been recorded on another silo since.
            var recorded = await store.GetReleasesAsync(job.TargetName, job.Package, abandon).ConfigureAwait(false);
            release = NewRelease.Compare(job.Package, new ReleaseContents(job.Version, inventory.Files(), result.Findings, ReleaseContents.InsideItem), recorded);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever this one version does to the scanner is this version's failure alone: the
            // versions after it and the other packages of the scope are still scanned.
            var cause = e is AggregateException { InnerExceptions: [var inner, ..] } ? inner : e;
            return Failed($"{item.Path}: the scan failed ({cause.GetType().Name}: {cause.Message})");
        }
        int added = await RecordReleaseAsync(job.TargetName, job.Package, item.Path, scan, release, job.Sweep).ConfigureAwait(false);
        return new ReleaseJobResult(ReleaseManifest.Of(release.Contents).ToJson(), null, scan.Result.Stats.Bytes, added);
    }

    private ReleaseJobResult Failed(string reason) => new(null, reason, 0, 0);

    /// <summary>Records a release compared with the one before it; returns how many findings are new.</summary>
    public async Task<int> RecordReleaseAsync(string target, string package, string what, WatchScan scan, NewRelease release, long? sweep)
    {
        foreach (string change in release.Changes)
        {
            logger.Information("{Target}: {Change}", target, change);
        }
        // Once scanned, the result is recorded even if the grace runs out meanwhile: the store is quick.
        int added = await RecordAsync(target, what, scan, release.Findings, sweep, CancellationToken.None).ConfigureAwait(false);
        string manifest = ReleaseManifest.Of(release.Contents).ToJson();
        await store.RecordReleaseAsync(target, package, release.Contents.Label, manifest, CancellationToken.None).ConfigureAwait(false);
        return added;
    }

    /// <summary>Records a scan's findings (new ones alert); returns how many are new.</summary>
    /// <param name="sweep">The sweep that found them, named in each finding's details.</param>
    public async Task<int> RecordAsync(string target, string what, WatchScan scan, IReadOnlyList<Finding> findings, long? sweep, CancellationToken cancellation)
    {
        if (sweep is { } id)
        {
            findings = [.. findings.Select(f => f with { Details = new Dictionary<string, object?>(f.Details) { ["sweep"] = id } })];
        }
        var result = scan.Result;
        LogWarnings(target, result);
        foreach (string note in result.Notes)
        {
            logger.Information("{Target}: {What}: {Note}", target, what, note);
        }
        var added = await store.RecordScanAsync(target, findings, channels.ForStore, cancellation, scan.SealedSecret).ConfigureAwait(false);
        metrics.ScanCompleted(result.Stats.Bytes, added.Count, result.Stats.Seconds);
        logger.Information("{Target}: scanned {What}: {Blobs} blobs, {Findings} findings, {New} new",
            target, what, result.Stats.Blobs, findings.Count, added.Count);
        return added.Count;
    }

    public void LogWarnings(string target, ScanResult result)
    {
        foreach (var warning in result.Warnings)
        {
            Warn(target, warning.Path, warning.Message);
        }
    }

    /// <summary>A problem with one file or listing of a target, as the watcher and the scan log it.</summary>
    public void Warn(string target, string path, string message) => logger.Warning("{Target}: {Path}: {Message}", target, path, message);
}
