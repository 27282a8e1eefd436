using LeakGuard.Core.Suppression;

namespace LeakGuard.Cli.Commands;

/// <summary>Finds and loads the ignore file and baseline a scan was given.</summary>
internal static class Suppressions
{
    public static FindingFilter Load(string? ignorePath, string? baselinePath, IEnumerable<string> targets)
    {
        try
        {
            string? ignore = ignorePath ?? DefaultIgnoreFile(targets);
            return new FindingFilter(
                ignore is null ? null : IgnoreFile.Load(ignore),
                baselinePath is null ? null : Baseline.Load(baselinePath));
        }
        catch (SuppressionFileException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The first .leakguardignore in the current directory, else in a scanned directory.</summary>
    private static string? DefaultIgnoreFile(IEnumerable<string> targets) =>
        new[] { "." }.Concat(targets.Where(Directory.Exists))
            .Select(dir => Path.Join(dir, IgnoreFile.DefaultName))
            .FirstOrDefault(File.Exists);
}
