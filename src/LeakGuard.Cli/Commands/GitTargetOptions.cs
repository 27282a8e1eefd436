using System.CommandLine;
using LeakGuard.Core;
using LeakGuard.Core.Findings;
using LeakGuard.Sources.Git;
using LeakGuard.Sources.Targets;

namespace LeakGuard.Cli.Commands;

/// <summary>The options of <c>git:</c> and <c>github:</c> targets, kept together so the scan
/// command only adds them and reads them back.</summary>
internal sealed class GitTargetOptions
{
    private readonly Option<string[]> _branch = new("--branch")
    {
        Description = "git: walk only from this branch, tag or commit (repeatable; default: every branch and tag)",
    };
    private readonly Option<bool> _allRefs = new("--all-refs") { Description = "git: walk every branch and tag (the default)" };
    private readonly Option<string?> _sinceCommit = new("--since-commit") { Description = "git: only what was introduced after this commit" };
    private readonly Option<string> _maxBlobSize = new("--max-blob-size")
    {
        Description = "git: skip blobs larger than this with a warning, e.g. 50MB",
        DefaultValueFactory = _ => "256MiB",
    };
    private readonly Option<string?> _cache = new("--git-cache")
    {
        Description = "git: where remotes are mirrored and their scanned blobs remembered (default: $LEAKGUARD_GIT_CACHE or ~/.leakguard/git)",
    };
    private readonly Option<string> _githubApi = new("--github-api-url")
    {
        Description = "github: API root, for GitHub Enterprise Server (e.g. https://ghe.example.com/api/v3)",
        DefaultValueFactory = _ => GitTargetSettings.DefaultGitHubApiUrl,
    };
    private readonly Option<bool> _forks = new("--include-forks") { Description = "github: also scan forks" };
    private readonly Option<bool> _archived = new("--include-archived") { Description = "github: also scan archived repositories" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _branch, _allRefs, _sinceCommit, _maxBlobSize, _cache, _githubApi, _forks, _archived })
        {
            command.Options.Add(option);
        }
    }

    public GitTargetSettings Read(ParseResult parsed)
    {
        if (!ByteSize.TryParse(parsed.GetValue(_maxBlobSize)!, out long maxBlob) || maxBlob == 0)
        {
            throw new UsageException($"--max-blob-size: '{parsed.GetValue(_maxBlobSize)}' is not a size (e.g. 50MB)");
        }
        string[] branches = parsed.GetValue(_branch) ?? [];
        if (parsed.GetValue(_allRefs) && branches.Length > 0)
        {
            throw new UsageException("--all-refs and --branch contradict each other; give one");
        }
        if (maxBlob > Array.MaxLength)
        {
            throw new UsageException($"--max-blob-size: at most {Array.MaxLength:N0} bytes (a blob is read whole)");
        }
        string api = parsed.GetValue(_githubApi)!;
        // Only a given URL is parsed here: the default needs no check, and a scan of plain paths
        // should not pay for the first use of Uri.
        if (api != GitTargetSettings.DefaultGitHubApiUrl && (!Uri.TryCreate(api, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            throw new UsageException($"--github-api-url: '{RedactedUrl.Of(api)}' is not an http(s) URL");
        }
        return new GitTargetSettings(
            new GitHistoryOptions { Refs = branches, SinceCommit = parsed.GetValue(_sinceCommit), MaxBlobSize = maxBlob },
            parsed.GetValue(_cache) ?? GitRemoteMirror.DefaultCacheRoot,
            api,
            parsed.GetValue(_forks),
            parsed.GetValue(_archived));
    }
}
