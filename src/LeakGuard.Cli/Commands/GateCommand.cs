using System.CommandLine;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Npm;
using LeakGuard.Sources.NuGet;
using LeakGuard.Sources.Processes;

namespace LeakGuard.Cli.Commands;

/// <summary>
/// <c>leakguard gate npm DIR</c> and <c>leakguard gate nuget PROJECT|NUPKG</c>: the pre-publish
/// check for CI. Scans exactly what the packaging tool would ship and exits 1 on a finding at or
/// above --fail-on, so the publish step after it never runs.
/// </summary>
internal static class GateCommand
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var npmDirectory = new Argument<string>("dir") { Description = "The package folder (with package.json)", DefaultValueFactory = _ => "." };
        var npm = new Command("npm", "Scan the files `npm publish` would ship (as `npm pack --dry-run --json` lists them)") { npmDirectory };
        AddScanAction(npm, parsed =>
        {
            string dir = parsed.GetValue(npmDirectory)!;
            var items = NpmPackFileSet.List(dir, PackTimeout);
            return (items, [dir], $"npm would ship {items.Count} file{(items.Count == 1 ? "" : "s")} from {dir}", null);
        });

        var nugetTarget = new Argument<string>("project") { Description = "A project file or folder to pack, or a .nupkg" };
        var nuget = new Command("nuget", "Pack a project with `dotnet pack` (or take a .nupkg) and scan the packages") { nugetTarget };
        AddScanAction(nuget, parsed =>
        {
            string target = parsed.GetValue(nugetTarget)!;
            var packed = DotnetPackOutput.For(target, PackTimeout);
            return (packed.Items, [Directory.Exists(target) ? target : Path.GetDirectoryName(Path.GetFullPath(target))!],
                $"scanned {string.Join(", ", packed.Items.Select(i => i.Path))}", packed);
        });

        return new Command("gate", "Pre-publish gate: scan what a release would ship; exit 1 on findings at or above --fail-on") { npm, nuget };
    }

    /// <summary>What to scan, the folders whose .leakguardignore applies, a note for the report,
    /// and what to dispose after the scan (a temporary pack folder).</summary>
    private delegate (IReadOnlyList<SourceItem> Items, string[] Roots, string Note, IDisposable? Cleanup) ShippedFiles(ParseResult parsed);

    private static void AddScanAction(Command command, ShippedFiles shipped)
    {
        var engine = new EngineOptions();
        var format = new Option<string>("--format", "-f") { Description = "Report format: text, json, jsonl, sarif", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(ReportWriters.Formats);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout" };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding is at or above this severity: critical, high, medium, low, info",
            DefaultValueFactory = _ => "medium",
        };
        failOn.AcceptOnlyFromAmong("critical", "high", "medium", "low", "info");
        var ignoreFile = new Option<string?>("--ignore-file") { Description = "Fingerprints to suppress (default: .leakguardignore in the package folder)" };
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(failOn);
        command.Options.Add(ignoreFile);
        engine.AddTo(command);

        command.SetAction(parsed =>
        {
            SeverityNames.TryParse(parsed.GetValue(failOn), out var threshold);
            var rules = engine.LoadRules(parsed);
            using var matcher = engine.CreateEngine(parsed, rules);
            (IReadOnlyList<SourceItem> Items, string[] Roots, string Note, IDisposable? Cleanup) files;
            try
            {
                files = shipped(parsed);
            }
            catch (ExternalCommandException e)
            {
                throw new UsageException(e.Message);
            }
            using var cleanup = files.Cleanup;
            var filter = Suppressions.Load(parsed.GetValue(ignoreFile), null, files.Roots);
            var options = new ScanOptions();
            var result = filter.Apply(new Scanner(rules, matcher, options, Decoders.Default).Run(files.Items)).Result;
            var report = new ScanReport("leakguard", ScanReport.ToolVersion, result, [.. rules.All, .. AnalyzerRules.All], [files.Note]);
            return ReportOutput.Finish(report, parsed.GetValue(format)!, parsed.GetValue(output), color: false, threshold);
        });
    }
}
