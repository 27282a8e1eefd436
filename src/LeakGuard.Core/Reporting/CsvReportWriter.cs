using System.Globalization;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>
/// One row per finding, RFC 4180: every field quoted, quotes doubled, CRLF line ends, a header
/// row first. Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a
/// formula, and paths and titles come from the scanned input, so such a cell is written with a
/// leading apostrophe: it shows as text and runs nothing. Warnings are not findings and are left out.
/// </summary>
public sealed class CsvReportWriter : IReportWriter
{
    private static readonly string[] Header =
        ["severity", "confidence", "kind", "rule_id", "title", "path", "line", "column", "commit", "author", "date", "package", "version", "secret", "fingerprint"];

    public void Write(ScanReport report, TextWriter output)
    {
        WriteRow(output, Header);
        foreach (var f in report.Result.Findings)
        {
            var l = f.Location;
            WriteRow(output,
            [
                f.Severity.Name(), f.Confidence.Name(), f.Kind.Name(), f.RuleId, f.Title, l.Path,
                l.Line?.ToString(CultureInfo.InvariantCulture), l.Column?.ToString(CultureInfo.InvariantCulture),
                l.Commit, l.Author, l.Date?.ToString("O", CultureInfo.InvariantCulture), l.Package, l.Version, f.Secret, f.Fingerprint,
            ]);
        }
    }

    private static void WriteRow(TextWriter output, IReadOnlyList<string?> cells)
    {
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }
            output.Write('"');
            output.Write(Cell(cells[i] ?? "").Replace("\"", "\"\"", StringComparison.Ordinal));
            output.Write('"');
        }
        output.Write("\r\n");
    }

    /// <summary>The cell as a spreadsheet should show it: text, never a formula.</summary>
    internal static string Cell(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
