using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>The report formats by name.</summary>
public static class ReportWriters
{
    public static readonly string[] Formats = ["text", "json", "jsonl", "sarif", "csv", "junit", "html"];

    /// <param name="color">Only the text report colours anything; the others are for machines.</param>
    /// <param name="failOn">--fail-on: the findings JUnit shows as failures.</param>
    public static IReportWriter Create(string format, bool color, Severity failOn = Severity.Medium) => format switch
    {
        "text" => new TextReportWriter(color),
        "json" => new JsonReportWriter(),
        "jsonl" => new JsonlReportWriter(),
        "sarif" => new SarifReportWriter(),
        "csv" => new CsvReportWriter(),
        "junit" => new JUnitReportWriter(failOn),
        "html" => new HtmlReportWriter(),
        _ => throw new ArgumentException($"unknown report format '{format}'", nameof(format)),
    };
}
