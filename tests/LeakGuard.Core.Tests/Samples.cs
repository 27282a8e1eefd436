using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Tests;

/// <summary>Findings, rules and results built directly, with plausible defaults, so each test
/// names only what it is about.</summary>
internal static class Samples
{
    public const string GitHubTokenTitle = "GitHub personal access token (classic)";

    /// <summary>1.2 MiB, as the text summary prints it.</summary>
    public const long ScannedBytes = 1_258_291;

    public static Finding Finding(
        string path = "src/app.js",
        string ruleId = "github.classic-pat",
        Severity severity = Severity.Critical,
        int? line = 3,
        int? column = 9,
        string? secret = "ghp_…G5iK",
        string title = GitHubTokenTitle,
        FindingKind kind = FindingKind.Secret,
        IReadOnlyDictionary<string, object?>? details = null) => new()
        {
            RuleId = ruleId,
            Kind = kind,
            Severity = severity,
            Title = title,
            Location = new Location { Path = path, Line = line, Column = column },
            Secret = secret,
            // Line is folded in only so that every sample finding has its own fingerprint.
            Fingerprint = SecretText.Fingerprint(ruleId, path, $"{secret}@{line}"),
            Details = details ?? new Dictionary<string, object?>(),
        };

    public static Rule Rule(
        string id = "github.classic-pat",
        string name = GitHubTokenTitle,
        Severity severity = Severity.Critical,
        FindingKind kind = FindingKind.Secret,
        IReadOnlyList<string>? references = null) => new()
        {
            Id = id,
            Name = name,
            Kind = kind,
            Severity = severity,
            Pattern = @"\b(ghp_[A-Za-z0-9]{36})\b",
            References = references ?? [],
        };

    /// <summary>12 blobs, 1.2 MiB, 0.05 s on hyperscan.</summary>
    public static ScanResult Result(IReadOnlyList<Finding> findings, IReadOnlyList<ScanWarning>? warnings = null)
    {
        var stats = new ScanStats { Seconds = 0.05 };
        for (int i = 0; i < 11; i++)
        {
            stats.CountBlob(100_000);
        }
        stats.CountBlob(ScannedBytes - 1_100_000);
        return new ScanResult("hyperscan", findings, warnings ?? [], stats);
    }

    public static ScanReport Report(IReadOnlyList<Finding> findings, IReadOnlyList<Rule>? rules = null, IReadOnlyList<ScanWarning>? warnings = null) =>
        Report(Result(findings, warnings), rules);

    public static ScanReport Report(ScanResult result, IReadOnlyList<Rule>? rules = null) =>
        new("leakguard", "0.1.0", result, rules ?? [Rule()], []);

    public static string Render(IReportWriter writer, ScanReport report)
    {
        using var output = new StringWriter { NewLine = "\n" };
        writer.Write(report, output);
        return output.ToString();
    }
}
