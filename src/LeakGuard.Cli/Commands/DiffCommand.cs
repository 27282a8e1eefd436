using System.CommandLine;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.FileSystem;
using LeakGuard.Sources.Http;

namespace LeakGuard.Cli.Commands;

/// <summary><c>leakguard diff OLD NEW</c>: what one release ships that another did not.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var engine = new EngineOptions();
        var registries = new RegistryOptions();
        var oldTarget = new Argument<string>("old") { Description = "The earlier release: a file, directory, npm:NAME@VERSION or nuget:Id@VERSION" };
        var newTarget = new Argument<string>("new") { Description = "The later release, named the same ways" };
        var format = new Option<string>("--format", "-f") { Description = "Report format: text, json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout" };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding new in NEW is at or above this severity",
            DefaultValueFactory = _ => "medium",
        };
        failOn.AcceptOnlyFromAmong("critical", "high", "medium", "low", "info");
        var maxFileSize = new Option<string>("--max-file-size")
        {
            Description = "Skip files (and archive members, and packages) larger than this",
            DefaultValueFactory = _ => "256MiB",
        };

        var command = new Command("diff", "Compare two releases: files added, removed and grown, and findings new in NEW")
        {
            oldTarget, newTarget, format, output, failOn, maxFileSize,
        };
        engine.AddTo(command);
        registries.AddTo(command);

        command.SetAction(parsed =>
        {
            if (!ByteSize.TryParse(parsed.GetValue(maxFileSize)!, out long maxBytes) || maxBytes == 0)
            {
                throw new UsageException($"--max-file-size: '{parsed.GetValue(maxFileSize)}' is not a size (e.g. 100MB)");
            }
            string oldName = parsed.GetValue(oldTarget)!;
            string newName = parsed.GetValue(newTarget)!;
            Targets.Validate([oldName, newName]);
            SeverityNames.TryParse(parsed.GetValue(failOn), out var threshold);
            var rules = engine.LoadRules(parsed);
            using var matcher = engine.CreateEngine(parsed, rules);
            var options = new ScanOptions { MaxFileSize = maxBytes };
            var registry = registries.Read(parsed, maxBytes);
            using var http = new RegistryHttp(registry.Limits);

            ReleaseContents Release(string name)
            {
                var warnings = new List<ScanWarning>();
                using var resolved = Targets.Resolve([name], new FileSystemOptions(), registry, http, git: null,
                    (path, message) => { lock (warnings) { warnings.Add(new ScanWarning(path, message)); } });
                if (resolved.PackageVersions.Count > 1)
                {
                    throw new UsageException($"diff compares two releases, but '{name}' matches {resolved.PackageVersions.Count} versions; name one");
                }
                var inventory = new FileInventory();
                var scanner = new Scanner(rules, matcher, options, Decoders.Default, [inventory, .. Expanders.Default(options)]);
                var result = scanner.Run(resolved.Items);
                foreach (var warning in warnings.Concat(result.Warnings))
                {
                    Console.Error.WriteLine($"warning: {warning.Path}: {warning.Message}");
                }
                return new ReleaseContents(name, inventory.Files(), result.Findings, ReleaseContents.KeysWithin(name, Directory.Exists(name)));
            }

            var diff = ReleaseComparison.Compare(Release(oldName), Release(newName));
            string? outputPath = parsed.GetValue(output);
            using (var writer = outputPath is null ? null : new StreamWriter(outputPath))
            {
                var target = writer ?? Console.Out;
                if (parsed.GetValue(format) == "json")
                {
                    ReleaseDiffJsonWriter.Write(diff, target);
                }
                else
                {
                    ReleaseDiffTextWriter.Write(diff, target);
                }
            }
            return diff.NewFindings.Any(f => f.Severity >= threshold) ? LeakGuardCommand.Found : LeakGuardCommand.Clean;
        });
        return command;
    }
}
