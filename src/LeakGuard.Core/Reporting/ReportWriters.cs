namespace LeakGuard.Core.Reporting;

/// <summary>The report formats by name.</summary>
public static class ReportWriters
{
    public static readonly string[] Formats = ["text", "json", "jsonl", "sarif"];

    public static IReportWriter Create(string format, bool color) => format switch
    {
        "json" => new JsonReportWriter(),
        _ => throw new ArgumentException($"unknown report format '{format}'", nameof(format)),
    };
}
