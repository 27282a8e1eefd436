using System.CommandLine;
using LeakGuard.Core;
using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Targets;

namespace LeakGuard.Cli.Commands;

/// <summary><c>leakguard diff OLD NEW</c>: what one release ships that another did not.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var scan = new ScanCommandOptions(ScanOptionGroups.Scanning, formats: ["text", "json"]);
        var registries = new RegistryOptions();
        var oldTarget = new Argument<string>("old") { Description = "The earlier release: a file, directory, npm:NAME@VERSION, nuget:Id@VERSION or web:URL (a deployed site)" };
        var newTarget = new Argument<string>("new") { Description = "The later release, named the same ways" };

        var command = new Command("diff", "Compare two releases: files added, removed and grown, and findings new in NEW (--fail-on counts those)")
        {
            oldTarget, newTarget,
        };
        scan.AddTo(command);
        registries.AddTo(command);

        command.SetAction(parsed =>
        {
            string oldName = parsed.GetValue(oldTarget)!;
            string newName = parsed.GetValue(newTarget)!;
            Targets.Validate([oldName, newName]);
            var report = scan.ReadReport(parsed);
            string[] directories = [.. new[] { oldName, newName }.Where(Directory.Exists)];
            using var session = scan.Open(parsed, [".", .. directories], directories, directories.FirstOrDefault());
            var registry = registries.Read(parsed, session.Settings.Limits.MemberLimit);
            using var http = new RegistryHttp(registry.Limits);

            ReleaseContents Release(string name)
            {
                var warnings = new List<ScanWarning>();
                using var resolved = Targets.Resolve([name], scan.ReadPaths(parsed, session.Settings), registry, http, git: null,
                    (path, message) => { lock (warnings) { warnings.Add(new ScanWarning(path, message)); } });
                if (resolved.PackageVersions.Count > 1)
                {
                    throw new UsageException($"diff compares two releases, but '{name}' matches {resolved.PackageVersions.Count} versions; name one");
                }
                var inventory = new FileInventory();
                var (result, _) = session.Scan(resolved.Items, inventory);
                ReportOutput.WriteWarnings([.. warnings, .. result.Warnings], report.Warnings);
                return new ReleaseContents(name, inventory.Files(), result.Findings, ReleaseContents.KeysWithin(name, Directory.Exists(name)));
            }

            var diff = ReleaseComparison.Compare(Release(oldName), Release(newName));
            using (var writer = report.OutputPath is null ? null : new StreamWriter(report.OutputPath))
            {
                var target = writer ?? Console.Out;
                if (report.Format == "json")
                {
                    ReleaseDiffJsonWriter.Write(diff, target);
                }
                else
                {
                    ReleaseDiffTextWriter.Write(diff, target);
                }
            }
            return diff.NewFindings.Any(f => f.Severity >= report.FailOn) ? LeakGuardCommand.Found : LeakGuardCommand.Clean;
        });
        return command;
    }
}
