using LeakGuard.Sources.Git;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Web;

namespace LeakGuard.Sources.Targets;

/// <summary>Where npm: and nuget: targets are fetched from, and the download bounds; how oci: images
/// are pulled and web: targets crawled.</summary>
public sealed record RegistrySettings(string? NpmRegistry, string? NuGetSource, DownloadLimits Limits)
{
    /// <summary>oci: targets on a registry that is not loopback may be pulled over plain http.</summary>
    public bool OciInsecure { get; init; }

    /// <summary>oci: targets that are multi-platform indexes are scanned for every platform, not only linux/amd64.</summary>
    public bool OciAllPlatforms { get; init; }

    public WebSettings Web { get; init; } = new();
}

/// <summary>How git: and github: targets are walked and where remotes are mirrored.</summary>
/// <param name="GitHubApiUrl">An absolute http(s) URL, parsed when a github: target first needs it
/// (a scan's first <see cref="Uri"/> costs ~5 ms of start-up that plain paths need not pay).</param>
public sealed record GitTargetSettings(GitHistoryOptions History, string CacheRoot, string GitHubApiUrl, bool IncludeForks, bool IncludeArchived)
{
    public const string DefaultGitHubApiUrl = "https://api.github.com";

    public Uri GitHubApi => new(GitHubApiUrl);

    /// <summary>Bounds one clone or fetch; a mirror of a very large remote is still far inside it.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromHours(1);

    public GitRemoteMirror Mirror() => new(CacheRoot, FetchTimeout)
    {
        GitHubHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "github.com", GitHubApi.Host },
    };
}
