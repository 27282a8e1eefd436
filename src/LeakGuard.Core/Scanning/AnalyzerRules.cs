using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>Rules whose findings come from analyzers rather than patterns; listed so that reports
/// (SARIF's rule table) can describe them like any other rule.</summary>
public static class AnalyzerRules
{
    public static readonly Rule ArchiveBomb = new()
    {
        Id = "leakguard.archive-bomb",
        Name = "Archive expands beyond the scan's limits (possible decompression bomb)",
        Kind = FindingKind.Exposure,
        Severity = Severity.Medium,
        References = ["https://en.wikipedia.org/wiki/Zip_bomb"],
    };

    public static IReadOnlyList<Rule> All { get; } = [ArchiveBomb];
}
