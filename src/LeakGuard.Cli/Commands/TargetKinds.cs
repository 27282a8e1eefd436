namespace LeakGuard.Cli.Commands;

/// <summary>Target prefixes that name a source other than the filesystem.</summary>
internal static class TargetKinds
{
    private static readonly string[] NotYetAvailable = ["git:", "npm:", "nuget:", "github:"];

    public static void EnsureSupported(string target)
    {
        foreach (string prefix in NotYetAvailable)
        {
            if (target.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new UsageException($"'{target}': {prefix[..^1]} targets are not available in this version; scan a path, an archive or - (stdin)");
            }
        }
    }
}
