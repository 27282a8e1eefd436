using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;

namespace LeakGuard.Cli.Commands;

/// <summary>How every scanning command ends: the report to stdout or a file, warnings to
/// stderr, and the exit code that --fail-on asks for.</summary>
internal static class ReportOutput
{
    public static int Finish(ScanReport report, string format, string? outputPath, bool color, Severity failOn)
    {
        var writer = ReportWriters.Create(format, color);
        if (outputPath is null)
        {
            writer.Write(report, Console.Out);
        }
        else
        {
            using var file = new StreamWriter(outputPath);
            writer.Write(report, file);
        }
        foreach (var warning in report.Result.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning.Path}: {warning.Message}");
        }
        return report.Result.Findings.Any(f => f.Severity >= failOn) ? LeakGuardCommand.Found : LeakGuardCommand.Clean;
    }
}
