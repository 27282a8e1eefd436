using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;

namespace LeakGuard.Cli.Commands;

/// <summary>How every scanning command ends: the report to stdout or a file, warnings to
/// stderr, and the exit code that --fail-on asks for.</summary>
internal static class ReportOutput
{
    public static int Finish(ScanReport report, ReportSettings settings, bool color)
    {
        var writer = ReportWriters.Create(settings.Format, color);
        if (settings.OutputPath is null)
        {
            writer.Write(report, Console.Out);
        }
        else
        {
            using var file = new StreamWriter(settings.OutputPath);
            writer.Write(report, file);
        }
        foreach (var warning in report.Result.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning.Path}: {warning.Message}");
        }
        return report.Result.Findings.Any(f => f.Severity >= settings.FailOn) ? LeakGuardCommand.Found : LeakGuardCommand.Clean;
    }
}
