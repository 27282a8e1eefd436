using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;

namespace LeakGuard.Cli.Commands;

/// <summary>How every scanning command ends: the report to stdout or a file, warnings to
/// stderr, and the exit code that --fail-on asks for.</summary>
internal static class ReportOutput
{
    public static int Finish(ScanReport report, ReportSettings settings, bool color)
    {
        var writer = ReportWriters.Create(settings.Format, color, settings.FailOn);
        if (settings.OutputPath is null)
        {
            writer.Write(report, Console.Out);
        }
        else
        {
            using var file = new StreamWriter(settings.OutputPath);
            writer.Write(report, file);
        }
        WriteWarnings(report.Result.Warnings, settings.Warnings);
        return report.Result.Findings.Any(f => f.Severity >= settings.FailOn) ? LeakGuardCommand.Found : LeakGuardCommand.Clean;
    }

    /// <summary>Warnings to stderr: grouped by kind, all of them, or only their number.</summary>
    public static void WriteWarnings(IReadOnlyList<ScanWarning> warnings, WarningDetail detail)
    {
        if (detail == WarningDetail.Count)
        {
            if (warnings.Count > 0)
            {
                Stderr.Line($"{warnings.Count:N0} {(warnings.Count == 1 ? "warning" : "warnings")} (--verbose lists them; reports keep them all)");
            }
            return;
        }
        foreach (string line in WarningSummary.Lines(warnings, all: detail == WarningDetail.All))
        {
            Stderr.Line(line);
        }
    }
}
