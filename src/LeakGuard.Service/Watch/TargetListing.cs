using LeakGuard.Service.Configuration;
using LeakGuard.Sources.FileSystem;
using LeakGuard.Sources.Git;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Packages;
using LeakGuard.Sources.Targets;
using LeakGuard.Sources.Web;

namespace LeakGuard.Service.Watch;

/// <summary>Lists what a target offers, as <c>scan</c> resolves it: a watcher's poll, and a
/// release job finding its one version again on the silo it runs on. The caller disposes the result.</summary>
internal static class TargetListing
{
    /// <param name="scannedBefore">git: which of a repository's blobs the store has recorded as scanned.</param>
    public static ResolvedTargets Resolve(TargetSettings target, long maxPackageSize, Func<string, IReadOnlyCollection<string>, IReadOnlySet<string>>? scannedBefore,
        Action<string, string> warn)
    {
        var registry = new RegistrySettings(
            target.Kind == TargetKind.Npm ? target.Feed?.ToString() : null,
            target.Kind == TargetKind.NuGet ? target.Feed?.ToString() : null,
            WatchDownloadLimits.For(target, maxPackageSize))
        {
            Web = WebSettings.FromEnvironment(maxPackageSize) with
            {
                OpenSourceSites = target.OpenSource && WebTarget.TryParse(TargetWatcher.ScanTargetName(target), out _) is { } site ? [site.Site] : [],
            },
        };
        var git = target.Kind is TargetKind.Git or TargetKind.GitHub
            ? new GitTargetSettings(new GitHistoryOptions { ScannedElsewhere = scannedBefore }, GitRemoteMirror.DefaultCacheRoot,
                target.Kind == TargetKind.GitHub && target.Feed is { } api ? api.OriginalString : GitTargetSettings.DefaultGitHubApiUrl, false, false)
            : null;
        var http = new RegistryHttp(registry.Limits);
        try
        {
            var resolved = Targets.Resolve([TargetWatcher.ScanTargetName(target)], new FileSystemOptions(), registry, http, git, warn);
            // Package items download when the scanner opens them: the client lives as long as they do.
            resolved.KeepOpen(http);
            return resolved;
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }
}
