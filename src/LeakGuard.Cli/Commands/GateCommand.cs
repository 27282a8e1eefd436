using System.CommandLine;
using LeakGuard.Core;
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
        AddScanAction(npm, parsed => parsed.GetValue(npmDirectory)!, (parsed, paths) =>
        {
            string dir = parsed.GetValue(npmDirectory)!;
            var items = NpmPackFileSet.List(dir, PackTimeout);
            // The shipped files are the package folder's: include and exclude see them relative to it.
            IReadOnlyList<SourceItem> scanned = paths is null ? items : [.. items.Where(i => paths.Matches(Path.GetRelativePath(dir, i.Path)))];
            return (scanned, $"npm would ship {items.Count} file{(items.Count == 1 ? "" : "s")} from {dir}", null);
        });

        var nugetTarget = new Argument<string>("project") { Description = "A project file or folder to pack, or a .nupkg" };
        var nuget = new Command("nuget", "Pack a project with `dotnet pack` (or take a .nupkg) and scan the packages") { nugetTarget };
        AddScanAction(nuget, parsed =>
        {
            string target = parsed.GetValue(nugetTarget)!;
            return Directory.Exists(target) ? target : Path.GetDirectoryName(Path.GetFullPath(target))!;
        }, (parsed, _) =>
        {
            var packed = DotnetPackOutput.For(parsed.GetValue(nugetTarget)!, PackTimeout);
            return (packed.Items, $"scanned {string.Join(", ", packed.Items.Select(i => i.Path))}", packed);
        });

        return new Command("gate", "Pre-publish gate: scan what a release would ship; exit 1 on findings at or above --fail-on") { npm, nuget };
    }

    /// <summary>What to scan (files of the package folder filtered by <paramref name="paths"/>, the
    /// settings' include and exclude globs, if any), a note for the report, and what to dispose
    /// after the scan (a temporary pack folder).</summary>
    private delegate (IReadOnlyList<SourceItem> Items, string Note, IDisposable? Cleanup) ShippedFiles(ParseResult parsed, PathGlobs? paths);

    /// <param name="root">The package or project folder: its .leakguardignore and .leakguard.yaml apply.</param>
    private static void AddScanAction(Command command, Func<ParseResult, string> root, ShippedFiles shipped)
    {
        var scan = new ScanCommandOptions(ScanOptionGroups.Scanning);
        scan.AddTo(command);
        command.SetAction(parsed =>
        {
            var report = scan.ReadReport(parsed);
            string folder = root(parsed);
            // The settings are read (and rejected) before anything is packed.
            var settings = scan.Read(parsed, [folder], [folder], folder);
            (IReadOnlyList<SourceItem> Items, string Note, IDisposable? Cleanup) files;
            try
            {
                files = shipped(parsed, PathGlobs.Filter(settings.Include, settings.Exclude));
            }
            catch (ExternalCommandException e)
            {
                throw new UsageException(e.Message);
            }
            using var cleanup = files.Cleanup;
            using var session = ScanCommandOptions.Open(settings);
            var (result, notes) = session.Scan(files.Items);
            return ReportOutput.Finish(session.Report(result, [files.Note, .. notes]), report, color: false);
        });
    }
}
