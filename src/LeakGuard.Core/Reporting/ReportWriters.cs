namespace LeakGuard.Core.Reporting;

/// <summary>The report formats by name.</summary>
public static class ReportWriters
{
    public static readonly string[] Formats = ["text", "json", "jsonl", "sarif"];

    /// <param name="color">Only the text report colours anything; the others are for machines.</param>
    public static IReportWriter Create(string format, bool color) => format switch
    {
        "text" => new TextReportWriter(color),
        "json" => new JsonReportWriter(),
        "jsonl" => new JsonlReportWriter(),
        "sarif" => new SarifReportWriter(),
        _ => throw new ArgumentException($"unknown report format '{format}'", nameof(format)),
    };
}
