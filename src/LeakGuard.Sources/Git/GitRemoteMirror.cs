using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Processes;

namespace LeakGuard.Sources.Git;

/// <summary>
/// Keeps a bare mirror of each remote in a cache folder: cloned the first time, fetched after,
/// so a rescan transfers only what is new. Uses the git command rather than libgit2 because it
/// speaks every transport people use (https with helpers, ssh with their agent and config).
/// Credentials for https come from GIT_TOKEN or GITHUB_TOKEN and reach git through its
/// environment only: never in arguments, the mirror's config, logs or reports.
/// </summary>
public sealed class GitRemoteMirror(string cacheRoot, TimeSpan timeout)
{
    /// <summary>Hosts that may receive GITHUB_TOKEN: github.com, plus a GitHub Enterprise Server the user named.</summary>
    public IReadOnlySet<string> GitHubHosts { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "github.com" };

    /// <summary>Where the cache lives unless told otherwise: $LEAKGUARD_GIT_CACHE, else ~/.leakguard/git.</summary>
    public static string DefaultCacheRoot =>
        Environment.GetEnvironmentVariable("LEAKGUARD_GIT_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".leakguard", "git");

    /// <summary>Brings the mirror of <paramref name="url"/> up to date and returns where it is.</summary>
    public MirroredRemote Update(string url)
    {
        string folder = Path.Join(cacheRoot, GitRemote.CacheKey(url));
        string repository = Path.Join(folder, "mirror.git");
        if (Directory.Exists(repository))
        {
            // The URL is given each time rather than kept in the mirror's config, where any credentials in it would stay.
            RunGit(url, repository, "fetch", "--prune", "--quiet", "--", url, "+refs/*:refs/*");
        }
        else
        {
            Directory.CreateDirectory(folder);
            // Clone beside the final place and move it in, so an interrupted clone is never mistaken for a mirror.
            string partial = Path.Join(folder, $"partial-{Environment.ProcessId}");
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
            try
            {
                RunGit(url, folder, "clone", "--mirror", "--quiet", "--", url, partial);
                RunGit(url, partial, "remote", "set-url", "origin", RedactedUrl.InText(url));
                Directory.Move(partial, repository);
            }
            finally
            {
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }
            }
        }
        return new MirroredRemote(RedactedUrl.InText(url), repository, new ScannedBlobStore(folder));
    }

    private void RunGit(string url, string workingDirectory, params string[] args)
    {
        // A scan runs unattended: a remote that wants a password must fail, not wait for one.
        var environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" };
        if (Environment.GetEnvironmentVariable("GIT_SSH_COMMAND") is null)
        {
            environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";
        }
        string? token = TokenFor(url, GitHubHosts, Environment.GetEnvironmentVariable);
        if (token is not null)
        {
            // Keyed to the remote's own URL prefix, so a redirect elsewhere does not carry it along.
            var uri = new Uri(url);
            string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{token}"));
            environment["GIT_CONFIG_COUNT"] = "1";
            environment["GIT_CONFIG_KEY_0"] = $"http.https://{uri.Authority}/.extraHeader";
            environment["GIT_CONFIG_VALUE_0"] = $"Authorization: Basic {basic}";
        }
        // The arguments hold the URL, so messages name the git subcommand only.
        var command = new ProcessCommand("git", args) { WorkingDirectory = workingDirectory, Environment = environment, Description = $"git {args[0]}" };
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(command, timeout);
        }
        catch (ProcessStartException e)
        {
            throw new GitSourceException($"{RedactedUrl.InText(url)}: the git command is needed to fetch remotes ({e.InnerException?.Message})", e);
        }
        catch (ProcessTimeoutException)
        {
            throw new GitSourceException($"{RedactedUrl.InText(url)}: git {args[0]} did not finish within {timeout.TotalMinutes:0} minutes");
        }
        if (!result.Succeeded)
        {
            throw new GitSourceException($"{RedactedUrl.InText(url)}: could not {args[0]}: {Scrub(LastLine(result.StandardError), url, token)}");
        }
    }

    /// <summary>The token to send to <paramref name="url"/>, if any. Only over https, and scoped to
    /// that host: GIT_TOKEN is for whatever remote the user names; GITHUB_TOKEN only reaches
    /// GitHub's own hosts, so naming some other server never hands it a GitHub credential.</summary>
    internal static string? TokenFor(string url, IReadOnlySet<string> gitHubHosts, Func<string, string?> environment)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }
        if (environment("GIT_TOKEN") is { Length: > 0 } git)
        {
            return git;
        }
        return environment("GITHUB_TOKEN") is { Length: > 0 } github && gitHubHosts.Contains(uri.Host) ? github : null;
    }

    /// <summary>git quotes hosts and URLs in its messages, sometimes with the credentials that came
    /// with them and not always as a URL (<c>unable to look up user:pw@host</c>).</summary>
    private static string Scrub(string message, string url, string? token)
    {
        var secrets = new List<string>();
        if (token is not null)
        {
            secrets.Add(token);
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            secrets.Add(uri.UserInfo);
            secrets.AddRange(uri.UserInfo.Split(':', 2).Skip(1).Where(password => password.Length > 0));
        }
        foreach (string secret in secrets)
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }
        return RedactedUrl.InText(message);
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "git gave no reason" : lines[^1];
    }
}

/// <summary>A remote's local mirror, the name findings give it, and its record of scanned blobs.</summary>
public sealed record MirroredRemote(string Name, string Path, ScannedBlobStore ScannedBlobs);
