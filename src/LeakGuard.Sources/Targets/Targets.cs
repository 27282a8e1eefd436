using LeakGuard.Core;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.FileSystem;
using LeakGuard.Sources.Git;
using LeakGuard.Sources.GitHub;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Npm;
using LeakGuard.Sources.NuGet;
using LeakGuard.Sources.Oci;
using LeakGuard.Sources.Web;

namespace LeakGuard.Sources.Targets;

/// <summary>Turns what the user named into source items: one place per kind of target
/// (paths and stdin, npm:, nuget:, oci:, git:, git-staged:, github:, web:). The command line and the service
/// resolve targets here, so a target means the same to both.</summary>
public static class Targets
{
    private const string Git = "git:";
    private const string GitStaged = "git-staged:";
    private const string GitHub = "github:";

    /// <summary>Rejects targets that cannot be scanned before any work starts.</summary>
    public static void Validate(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            string reason;
            if (NpmTarget.Names(name))
            {
                _ = NpmTarget.TryParse(name, out reason) ?? throw new UsageException(reason);
            }
            else if (NuGetTarget.Names(name))
            {
                _ = NuGetTarget.TryParse(name, out reason) ?? throw new UsageException(reason);
            }
            else if (OciTarget.Names(name))
            {
                _ = OciTarget.TryParse(name, out reason) ?? throw new UsageException(reason);
            }
            else if (WebTarget.Names(name))
            {
                _ = WebTarget.TryParse(name, out reason) ?? throw new UsageException(reason);
            }
            else if (name.StartsWith(Git, StringComparison.Ordinal) || name.StartsWith(GitStaged, StringComparison.Ordinal))
            {
                if (name[(name.IndexOf(':') + 1)..].Length == 0)
                {
                    throw new UsageException($"'{name}': name a repository, e.g. git:. or git:https://host/repo.git");
                }
            }
            else if (name.StartsWith(GitHub, StringComparison.Ordinal))
            {
                string owner = name[GitHub.Length..];
                if (owner.Length == 0 || owner.Contains('/', StringComparison.Ordinal))
                {
                    throw new UsageException($"'{name}': name an organisation or user, e.g. github:acme (for one repository, use git:URL)");
                }
            }
            else if (name != "-" && !File.Exists(name) && !Directory.Exists(name))
            {
                throw new UsageException($"'{name}': no such file or directory");
            }
        }
    }

    /// <summary>Package targets are resolved now (a missing package or version is a usage error
    /// before anything is scanned), and named git repositories opened (remotes fetched), so one
    /// that cannot be scanned stops the run with a one-line reason before any scanning starts.
    /// Files are read lazily by the scanner; <paramref name="http"/> must outlive the enumeration.
    /// The include and exclude globs of <paramref name="fileSystem"/> select files of a directory
    /// and paths in git history or the index alike (the scanner applies them to archive members).</summary>
    public static ResolvedTargets Resolve(IReadOnlyList<string> names, FileSystemOptions fileSystem, RegistrySettings registries,
        RegistryHttp http, GitTargetSettings? git, Action<string, string> warn)
    {
        if (git is null && names.FirstOrDefault(IsGit) is { } gitName)
        {
            throw new UsageException($"'{gitName}': git targets cannot be used here; name a path, an archive, npm: or nuget:");
        }
        var resolved = new ResolvedTargets();
        var gitPaths = PathGlobs.Filter(fileSystem.Include, fileSystem.Exclude);
        try
        {
            var paths = new List<string>();
            foreach (string name in names)
            {
                if (NpmTarget.Names(name))
                {
                    var target = NpmTarget.TryParse(name, out _)!;
                    resolved.AddPackageVersions(new NpmRegistrySource(NpmConfig.LoadUserConfig(), http, registries.Limits, warn).Resolve(target, registries.NpmRegistry));
                }
                else if (NuGetTarget.Names(name))
                {
                    var target = NuGetTarget.TryParse(name, out _)!;
                    resolved.AddPackageVersions(new NuGetFeedSource(http, registries.Limits).Resolve(target, registries.NuGetSource));
                }
                else if (OciTarget.Names(name))
                {
                    var target = OciTarget.TryParse(name, out _)!;
                    resolved.Add(new OciImageSource(http, registries.Limits, registries.OciInsecure, registries.OciAllPlatforms, warn).Resolve(target));
                }
                else if (WebTarget.Names(name))
                {
                    // Crawled when the scan opens it, so the site's fetches overlap other targets' scanning.
                    resolved.Add([new WebSource(WebTarget.TryParse(name, out _)!, registries.Web, warn).Item()]);
                }
                else if (name.StartsWith(Git, StringComparison.Ordinal))
                {
                    var target = OpenOrExplain(() => GitTarget.Open(name[Git.Length..], git!.History, git.Mirror(), warn));
                    resolved.AddRepository(name[Git.Length..], target);
                    resolved.Add(Filtered(target.Enumerate(), gitPaths));
                    resolved.AfterScan(target.Completed);
                }
                else if (name.StartsWith(GitStaged, StringComparison.Ordinal))
                {
                    var staged = OpenOrExplain(() => GitStagedSource.Open(name[GitStaged.Length..], warn));
                    resolved.KeepOpen(staged);
                    resolved.Add(Filtered(staged.Enumerate(), gitPaths));
                }
                else if (name.StartsWith(GitHub, StringComparison.Ordinal))
                {
                    string owner = name[GitHub.Length..];
                    var lister = new GitHubRepositoryLister(git!.GitHubApi, GitHubToken(), warn);
                    var repositories = OpenOrExplain(() => lister.ListAsync(owner, git.IncludeForks, git.IncludeArchived).GetAwaiter().GetResult());
                    resolved.Add(Filtered(ScanEach(repositories, git, warn, resolved), gitPaths));
                }
                else
                {
                    paths.Add(name);
                }
            }
            if (paths.Count > 0)
            {
                resolved.Add(new FileSystemSource(paths, fileSystem, warn).Enumerate());
            }
            return resolved;
        }
        catch (RegistryException e)
        {
            resolved.Dispose();
            throw new UsageException(e.Message);
        }
        catch
        {
            resolved.Dispose();
            throw;
        }
    }

    /// <summary>Repositories found through an organisation are fetched one at a time as the scan
    /// reaches them; one that cannot be fetched is a warning and the others are still scanned.</summary>
    private static IEnumerable<SourceItem> ScanEach(IReadOnlyList<GitHubRepository> repositories, GitTargetSettings git, Action<string, string> warn, ResolvedTargets resolved)
    {
        var mirror = git.Mirror();
        foreach (var repository in repositories)
        {
            if (!GitRemote.IsRemote(repository.CloneUrl))
            {
                // Whatever the API says, a listed repository is fetched, never opened from this machine's disk.
                warn($"github:{repository.FullName}", $"not scanned: clone URL '{repository.CloneUrl}' is not a remote URL");
                continue;
            }
            GitTarget target;
            try
            {
                target = GitTarget.Open(repository.CloneUrl, git.History, mirror, warn);
            }
            catch (GitSourceException e)
            {
                warn($"github:{repository.FullName}", $"not scanned: {e.Message}");
                continue;
            }
            resolved.AddRepository(repository.FullName, target);
            resolved.AfterScan(target.Completed);
            foreach (var item in target.Enumerate())
            {
                yield return item;
            }
        }
    }

    /// <summary>Git paths the include and exclude globs select (each is relative to its repository).</summary>
    private static IEnumerable<SourceItem> Filtered(IEnumerable<SourceItem> items, PathGlobs? paths) =>
        paths is null ? items : items.Where(item => paths.Matches(item.Path));

    private static bool IsGit(string name) =>
        name.StartsWith(Git, StringComparison.Ordinal) || name.StartsWith(GitStaged, StringComparison.Ordinal) || name.StartsWith(GitHub, StringComparison.Ordinal);

    private static string? GitHubToken() =>
        Environment.GetEnvironmentVariable("GITHUB_TOKEN") is { Length: > 0 } github ? github
        : Environment.GetEnvironmentVariable("GIT_TOKEN") is { Length: > 0 } git ? git
        : null;

    private static T OpenOrExplain<T>(Func<T> open)
    {
        try
        {
            return open();
        }
        catch (GitSourceException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
