using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Reporting;

/// <summary>What a report writer is given: the scan's result plus what describes it.</summary>
public sealed record ScanReport(string Tool, string Version, ScanResult Result, IReadOnlyList<Rule> Rules, IReadOnlyList<string> Notes)
{
    public static string ToolVersion =>
        typeof(ScanReport).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}

/// <summary>Writes a report in one format.</summary>
public interface IReportWriter
{
    void Write(ScanReport report, TextWriter output);
}
