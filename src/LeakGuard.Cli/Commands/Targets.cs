using LeakGuard.Core.Scanning;
using LeakGuard.Sources.FileSystem;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Npm;
using LeakGuard.Sources.NuGet;

namespace LeakGuard.Cli.Commands;

/// <summary>Turns what the user named into source items: one place per kind of target
/// (paths, stdin, npm:, nuget:; git: and github: join here).</summary>
internal static class Targets
{
    private static readonly string[] NotYetAvailable = ["git:", "github:"];

    /// <summary>Rejects targets that cannot be scanned before any work starts.</summary>
    public static void Validate(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            foreach (string prefix in NotYetAvailable)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    throw new UsageException($"'{name}': {prefix[..^1]} targets are not available in this version; scan a path, an archive, npm:, nuget: or - (stdin)");
                }
            }
            string reason;
            if (NpmTarget.Names(name))
            {
                _ = NpmTarget.TryParse(name, out reason) ?? throw new UsageException(reason);
            }
            else if (NuGetTarget.Names(name))
            {
                _ = NuGetTarget.TryParse(name, out reason) ?? throw new UsageException(reason);
            }
            else if (name != "-" && !File.Exists(name) && !Directory.Exists(name))
            {
                throw new UsageException($"'{name}': no such file or directory");
            }
        }
    }

    /// <summary>Package targets are resolved now (a missing package or version is a usage error
    /// before anything is scanned); their files and all paths are read lazily by the scanner.
    /// <paramref name="http"/> must outlive the enumeration.</summary>
    public static ResolvedTargets Resolve(IReadOnlyList<string> names, FileSystemOptions fileSystem, RegistrySettings registries,
        RegistryHttp http, Action<string, string> warn)
    {
        var packages = new List<SourceItem>();
        var paths = new List<string>();
        try
        {
            foreach (string name in names)
            {
                if (NpmTarget.Names(name))
                {
                    var target = NpmTarget.TryParse(name, out _)!;
                    packages.AddRange(new NpmRegistrySource(NpmConfig.LoadUserConfig(), http, registries.Limits).Resolve(target, registries.NpmRegistry));
                }
                else if (NuGetTarget.Names(name))
                {
                    var target = NuGetTarget.TryParse(name, out _)!;
                    packages.AddRange(new NuGetFeedSource(http, registries.Limits).Resolve(target, registries.NuGetSource));
                }
                else
                {
                    paths.Add(name);
                }
            }
        }
        catch (RegistryException e)
        {
            throw new UsageException(e.Message);
        }
        return new ResolvedTargets(packages, paths.Count == 0 ? packages : packages.Concat(new FileSystemSource(paths, fileSystem, warn).Enumerate()));
    }
}

/// <summary>What to scan (<see cref="Items"/>, lazy), and the package versions among it, oldest
/// first per package, known before scanning starts.</summary>
internal sealed record ResolvedTargets(IReadOnlyList<SourceItem> PackageVersions, IEnumerable<SourceItem> Items);
