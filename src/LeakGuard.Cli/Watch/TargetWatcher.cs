using LeakGuard.Cli.Commands;
using LeakGuard.Core.Scanning;
using LeakGuard.Service;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Sources.FileSystem;
using LeakGuard.Sources.Git;
using LeakGuard.Sources.Http;
using LeakGuard.Storage;
using Serilog;

namespace LeakGuard.Cli.Watch;

/// <summary>
/// Polls one configured target on its interval. Package targets (npm, NuGet): every published
/// version the store has not seen is scanned once, on its own, and then remembered. Git targets
/// (git, github): the git source remembers per remote which blobs it scanned, so each poll
/// fetches and scans only new blobs. Findings are recorded before the version or the blobs are
/// remembered: a worker stopped in between scans them again, and the store's fingerprints keep
/// that from raising a second alert.
/// </summary>
internal sealed class TargetWatcher(
    TargetSettings target, WatchScanner scanner, ILeakGuardStore store, OutboxChannels channels, ServiceMetrics metrics, ILogger logger, TimeProvider time)
{
    /// <summary>How the target is named in the store, logs, metrics and alerts: credentials in a
    /// remote's URL (<c>https://user:token@host/…</c>) are dropped, as everywhere output goes.</summary>
    private readonly string targetName = GitRemote.Redact(target.DisplayName);

    private readonly RepeatedProblemLog pollProblems = new(logger, "polling", "poll");

    /// <summary>The target as <c>scan</c> names it: every version of a package, or the remote.</summary>
    public static string ScanTargetName(TargetSettings target) => target.Kind switch
    {
        TargetKind.Npm or TargetKind.NuGet => $"{target.DisplayName}@all",
        _ => target.DisplayName,
    };

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stopping).ConfigureAwait(false);
                pollProblems.Succeeded(targetName, targetName);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                logger.Information("{Target}: stopped; the scan in progress was abandoned and will run again", targetName);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A registry that is down or sends garbage is this target's problem alone: log it once, try next interval.
                pollProblems.Failed(targetName, targetName, e.Message);
            }
            try
            {
                await Task.Delay(target.Every, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public Task PollOnceAsync(CancellationToken cancellation) =>
        target.Kind is TargetKind.Npm or TargetKind.NuGet ? PollPackageAsync(cancellation) : PollGitAsync(cancellation);

    private async Task PollPackageAsync(CancellationToken cancellation)
    {
        var registry = new RegistrySettings(
            target.Kind == TargetKind.Npm ? target.Feed?.ToString() : null,
            target.Kind == TargetKind.NuGet ? target.Feed?.ToString() : null,
            WatchDownloadLimits.For(target));
        using var http = new RegistryHttp(registry.Limits);
        using var resolved = await Task.Run(() => Targets.Resolve([ScanTargetName(target)], new FileSystemOptions(), registry, http, null, Warn), cancellation)
            .ConfigureAwait(false);
        var versions = resolved.PackageVersions.ToDictionary(VersionKey, StringComparer.Ordinal);
        // Versions share the scanned-blob set under a key no git blob id can take (git ids are bare hex).
        var seen = await store.GetScannedBlobsAsync(targetName, versions.Keys, cancellation).ConfigureAwait(false);
        foreach (var (key, item) in versions)
        {
            if (seen.Contains(key))
            {
                continue;
            }
            var result = await scanner.ScanAsync([item], cancellation).ConfigureAwait(false);
            if (result.Stats.Blobs == 0)
            {
                // The tarball could not be downloaded (a package always holds its manifest): tried
                // again next poll rather than remembered as scanned.
                LogWarnings(result);
                continue;
            }
            await RecordAsync(key, result, cancellation).ConfigureAwait(false);
            await store.AddScannedBlobsAsync(targetName, [key], cancellation).ConfigureAwait(false);
        }
    }

    private async Task PollGitAsync(CancellationToken cancellation)
    {
        var git = new GitTargetSettings(new GitHistoryOptions(), GitRemoteMirror.DefaultCacheRoot, new Uri("https://api.github.com"), false, false);
        var registry = new RegistrySettings(null, null, new DownloadLimits());
        using var http = new RegistryHttp(registry.Limits);
        using var resolved = await Task.Run(() => Targets.Resolve([ScanTargetName(target)], new FileSystemOptions(), registry, http, git, Warn), cancellation)
            .ConfigureAwait(false);
        var result = await scanner.ScanAsync(resolved.Items, cancellation).ConfigureAwait(false);
        await RecordAsync("new commits", result, cancellation).ConfigureAwait(false);
        resolved.ScanFinished();
    }

    private async Task RecordAsync(string what, ScanResult result, CancellationToken cancellation)
    {
        LogWarnings(result);
        var added = await store.RecordScanAsync(targetName, result.Findings, channels.ForStore, cancellation).ConfigureAwait(false);
        metrics.ScanCompleted(targetName, result.Stats.Bytes, added.Count, time.GetUtcNow());
        logger.Information("{Target}: scanned {What}: {Blobs} blobs, {Findings} findings, {New} new",
            targetName, what, result.Stats.Blobs, result.Findings.Count, added.Count);
    }

    /// <summary>The item's name, <c>NAME@VERSION.tgz</c> or <c>Id@VERSION.nupkg</c>: one per published version.</summary>
    private static string VersionKey(SourceItem item) => item.Path;

    private void LogWarnings(ScanResult result)
    {
        foreach (var warning in result.Warnings)
        {
            Warn(warning.Path, warning.Message);
        }
    }

    private void Warn(string path, string message) => logger.Warning("{Target}: {Path}: {Message}", targetName, path, message);
}
