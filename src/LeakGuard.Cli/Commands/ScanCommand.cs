using System.CommandLine;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.FileSystem;
using LeakGuard.Sources.Http;

namespace LeakGuard.Cli.Commands;

/// <summary><c>leakguard scan TARGET...</c></summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var engine = new EngineOptions();
        var registries = new RegistryOptions();
        var git = new GitTargetOptions();
        var targets = new Argument<string[]>("targets")
        {
            Description = "Files, directories, archives, - for stdin, npm:NAME@VERSION|RANGE|all (NAME may be a whole scope, @SCOPE/*), nuget:Id@VERSION|RANGE|all, git:PATH or git:URL, github:ORG",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Report format: text, json, jsonl, sarif",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong(ReportWriters.Formats);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout" };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding is at or above this severity: critical, high, medium, low, info",
            DefaultValueFactory = _ => "medium",
        };
        failOn.AcceptOnlyFromAmong("critical", "high", "medium", "low", "info");
        var maxFileSize = new Option<string>("--max-file-size")
        {
            Description = "Skip files (and archive members) larger than this, e.g. 100MB",
            DefaultValueFactory = _ => "256MiB",
        };
        var maxDepth = new Option<int>("--max-archive-depth")
        {
            Description = "How deep archives inside archives are expanded",
            DefaultValueFactory = _ => 4,
        };
        var include = new Option<string[]>("--include") { Description = "Only scan paths matching this glob (repeatable)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Do not scan paths matching this glob (repeatable)" };
        var gitignore = new Option<bool>("--respect-gitignore") { Description = "Skip what .gitignore files ignore (off: build output often is)" };
        var follow = new Option<bool>("--follow-symlinks") { Description = "Follow symbolic links (loops are detected)" };
        var threads = new Option<int>("--threads")
        {
            Description = "Scanning threads",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var noProgress = new Option<bool>("--no-progress") { Description = "Never draw the progress bar" };
        var noColor = new Option<bool>("--no-color") { Description = "Never colour the text report" };
        var baseline = new Option<string?>("--baseline") { Description = "A previous JSON report: report only findings not in it" };
        var ignoreFile = new Option<string?>("--ignore-file")
        {
            Description = "Fingerprints to suppress, one per line (default: .leakguardignore in the current directory or a scanned directory)",
        };

        var protect = new Option<string[]>("--protect")
        {
            Description = "A package name (npm or NuGet id) whose exposed source is critical whatever its licence says (repeatable)",
        };

        var command = new Command("scan", "Scan files, directories and archives for secrets and exposed source")
        {
            targets, format, output, failOn, maxFileSize, maxDepth, include, exclude, gitignore, follow, threads, noProgress, noColor,
            baseline, ignoreFile, protect,
        };
        engine.AddTo(command);
        registries.AddTo(command);
        git.AddTo(command);

        command.SetAction(parsed =>
        {
            if (!ByteSize.TryParse(parsed.GetValue(maxFileSize)!, out long maxBytes) || maxBytes == 0)
            {
                throw new UsageException($"--max-file-size: '{parsed.GetValue(maxFileSize)}' is not a size (e.g. 100MB)");
            }
            if (parsed.GetValue(maxDepth) is < 0 or > 32)
            {
                throw new UsageException("--max-archive-depth must be between 0 and 32");
            }
            if (parsed.GetValue(threads) is < 1 or > 256)
            {
                throw new UsageException("--threads must be between 1 and 256");
            }
            string[] names = parsed.GetValue(targets)!;
            Targets.Validate(names);
            var gitSettings = git.Read(parsed);
            SeverityNames.TryParse(parsed.GetValue(failOn), out var threshold);
            var filter = Suppressions.Load(parsed.GetValue(ignoreFile), parsed.GetValue(baseline), names);

            var rules = engine.LoadRules(parsed);
            using var matcher = engine.CreateEngine(parsed, rules);
            var options = new ScanOptions
            {
                MaxFileSize = maxBytes,
                MaxArchiveDepth = parsed.GetValue(maxDepth),
                Threads = parsed.GetValue(threads),
                ProtectedPackages = parsed.GetValue(protect) ?? [],
            };
            var warnings = new List<ScanWarning>();
            var registry = registries.Read(parsed, maxBytes);
            using var http = new RegistryHttp(registry.Limits);
            using var resolved = Targets.Resolve(names, new FileSystemOptions
            {
                Include = parsed.GetValue(include) ?? [],
                Exclude = parsed.GetValue(exclude) ?? [],
                RespectGitignore = parsed.GetValue(gitignore),
                FollowSymlinks = parsed.GetValue(follow),
            }, registry, http, gitSettings, (path, message) => { lock (warnings) { warnings.Add(new ScanWarning(path, message)); } });

            using var progress = ProgressBar.ForStandardError(enabled: !parsed.GetValue(noProgress));
            // Only a scan of several package versions compares them; listing every file of a big
            // tree would cost memory for nothing.
            var inventory = resolved.PackageVersions.Count > 1 ? new FileInventory() : null;
            IReadOnlyList<IBlobExpander> expanders = inventory is null ? Expanders.Default(options) : [inventory, .. Expanders.Default(options)];
            var scanner = new Scanner(rules, matcher, options, Decoders.Default, expanders) { Progress = progress.Update };
            var result = scanner.Run(resolved.Items);
            resolved.ScanFinished();
            progress.Finish();
            var filtered = filter.Apply(result with { Warnings = [.. warnings, .. result.Warnings] });
            result = filtered.Result;
            var notes = new List<string>();
            if (filtered.Removed > 0)
            {
                notes.Add($"suppressed {filtered.RemovedByIgnoreFile} by ignore file, {filtered.RemovedByBaseline} by baseline");
            }
            if (inventory is not null)
            {
                var (annotated, versionNotes) = VersionSteps.Annotate(resolved.PackageVersions, inventory.Files(), result.Findings);
                result = result with { Findings = annotated };
                notes.AddRange(versionNotes);
            }

            var report = new ScanReport("leakguard", ScanReport.ToolVersion, result, [.. rules.All, .. AnalyzerRules.All], notes);
            string? outputPath = parsed.GetValue(output);
            bool color = outputPath is null && !parsed.GetValue(noColor) && !Console.IsOutputRedirected
                && Environment.GetEnvironmentVariable("NO_COLOR") is null;
            return ReportOutput.Finish(report, parsed.GetValue(format)!, outputPath, color, threshold);
        });
        return command;
    }
}
