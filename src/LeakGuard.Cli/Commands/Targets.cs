using LeakGuard.Core.Scanning;
using LeakGuard.Sources.FileSystem;

namespace LeakGuard.Cli.Commands;

/// <summary>Turns what the user named into source items: one place per kind of target
/// (paths and stdin today; git:, npm:, nuget:, github: join here).</summary>
internal static class Targets
{
    private static readonly string[] NotYetAvailable = ["git:", "npm:", "nuget:", "github:"];

    /// <summary>Rejects targets that cannot be scanned before any work starts.</summary>
    public static void Validate(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            foreach (string prefix in NotYetAvailable)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    throw new UsageException($"'{name}': {prefix[..^1]} targets are not available in this version; scan a path, an archive or - (stdin)");
                }
            }
            if (name != "-" && !File.Exists(name) && !Directory.Exists(name))
            {
                throw new UsageException($"'{name}': no such file or directory");
            }
        }
    }

    public static IEnumerable<SourceItem> Resolve(IReadOnlyList<string> names, FileSystemOptions fileSystem, Action<string, string> warn) =>
        new FileSystemSource(names, fileSystem, warn).Enumerate();
}
