using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Reporting;

/// <summary>The report for a person at a terminal: findings under their file's path, then the
/// warnings and notes, then one summary line. Everything taken from scanned content is made
/// printable first, so colour codes appear only when this writer puts them there.</summary>
public sealed class TextReportWriter : IReportWriter
{
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";

    private readonly bool _color;

    public TextReportWriter(bool color)
    {
        _color = color;
    }

    public void Write(ScanReport report, TextWriter output)
    {
        var result = report.Result;
        foreach (var file in result.Findings.GroupBy(f => f.Location.Path, StringComparer.Ordinal))
        {
            output.WriteLine(Paint(Bold, TerminalText.Printable(file.Key)));
            foreach (var finding in file)
            {
                output.WriteLine(FindingLine(finding));
            }
            output.WriteLine();
        }
        if (result.Warnings.Count > 0)
        {
            output.WriteLine("warnings:");
            foreach (var warning in result.Warnings)
            {
                output.WriteLine($"  {TerminalText.Printable(warning.Path)}: {TerminalText.Printable(warning.Message)}");
            }
            output.WriteLine();
        }
        foreach (string note in report.Notes)
        {
            output.WriteLine($"note: {TerminalText.Printable(note)}");
        }
        output.WriteLine(SummaryLine(result));
    }

    private string FindingLine(Finding finding)
    {
        // Severity names are padded outside the colour codes so columns line up either way.
        string severity = finding.Severity.Name();
        var parts = new List<string>
        {
            Paint(SeverityColor(finding.Severity), severity) + new string(' ', "critical".Length - severity.Length),
            TerminalText.Printable(finding.RuleId),
            TerminalText.Printable(finding.Title),
        };
        if (finding.Location.Line is { } line)
        {
            parts.Add(finding.Location.Column is { } column ? $"{line}:{column}" : $"{line}");
        }
        if (finding.Secret is { } secret)
        {
            parts.Add(TerminalText.Printable(secret));
        }
        // Most findings are high confidence; only the others say so.
        if (finding.Confidence != Confidence.High)
        {
            parts.Add($"({finding.Confidence.Name()} confidence)");
        }
        if (finding.Validation is { } validation)
        {
            parts.Add($"validation={TerminalText.Printable(validation.Describe())}");
        }
        // Where in history the secret came in: what a responder asks first about a git finding.
        if (finding.Location.Commit is { } commit)
        {
            parts.Add($"commit={TerminalText.Printable(commit.Length > 12 ? commit[..12] : commit)}");
        }
        if (finding.Location.Author is { } author)
        {
            parts.Add($"author={TerminalText.Printable(author)}");
        }
        if (finding.Location.Date is { } date)
        {
            parts.Add($"date={date:yyyy-MM-dd}");
        }
        foreach (var (key, value) in finding.Details)
        {
            // An exposure's list of every embedded path is for JSON and the HTML tree; a line shows its counts and examples.
            if (value is not null && !(finding.Kind == FindingKind.Exposure && key == "sources"))
            {
                parts.Add($"{TerminalText.Printable(key)}={TerminalText.Printable(DetailText(value))}");
            }
        }
        return "  " + string.Join("  ", parts);
    }

    private static string DetailText(object value) => value switch
    {
        string text => text,
        _ => DetailsJson.ToText(value),
    };

    private static string SummaryLine(ScanResult result)
    {
        var stats = result.Stats;
        string scope = $"in {stats.Blobs} {Plural(stats.Blobs, "blob")}, {ByteCount.Format(stats.Bytes)}, {stats.Seconds:0.00} s, engine {result.Engine}";
        if (result.Findings.Count == 0)
        {
            return $"no findings {scope}";
        }
        var bySeverity = Enum.GetValues<Severity>()
            .Reverse()
            .Select(s => (Severity: s, Count: result.Findings.Count(f => f.Severity == s)))
            .Where(s => s.Count > 0)
            .Select(s => $"{s.Count} {s.Severity.Name()}");
        return $"{result.Findings.Count} {Plural(result.Findings.Count, "finding")} ({string.Join(", ", bySeverity)}) {scope}";
    }

    private static string Plural(long count, string noun) => count == 1 ? noun : noun + "s";

    private string Paint(string code, string text) => _color ? code + text + Reset : text;

    private static string SeverityColor(Severity severity) => severity switch
    {
        Severity.Critical => "\u001b[1;31m",
        Severity.High => "\u001b[31m",
        Severity.Medium => "\u001b[33m",
        Severity.Low => "\u001b[36m",
        _ => "\u001b[2m",
    };
}
