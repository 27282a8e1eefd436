using System.CommandLine;
using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Targets;
using LeakGuard.Validation;

namespace LeakGuard.Cli.Commands;

/// <summary><c>leakguard scan TARGET...</c></summary>
internal static class ScanCommand
{
    /// <param name="secretsInClear">Whether --validate, --only-live and --show-secrets are taken (not
    /// by <c>git --staged</c>, whose output lands in hook and CI logs).</param>
    public static Command Create(bool secretsInClear = true)
    {
        var scan = new ScanCommandOptions(ScanOptionGroups.Scanning | ScanOptionGroups.Paths | (secretsInClear ? ScanOptionGroups.Secrets : 0));
        var registries = new RegistryOptions();
        var git = new GitTargetOptions();
        var targets = new Argument<string[]>("targets")
        {
            Description = "Files, directories, archives, - for stdin, npm:NAME@VERSION|RANGE|all (NAME may be a whole scope, @SCOPE/*), nuget:Id@VERSION|RANGE|all, oci:HOST[:PORT]/REPO[:TAG|@sha256:DIGEST], git:PATH or git:URL, github:ORG, web:URL (a deployed site)",
            Arity = ArgumentArity.OneOrMore,
        };
        var noProgress = new Option<bool>("--no-progress") { Description = "Never draw the progress bar" };
        var noColor = new Option<bool>("--no-color") { Description = "Never colour the text report" };

        var command = new Command("scan", "Scan files, directories and archives for secrets and exposed source")
        {
            targets, noProgress, noColor,
        };
        scan.AddTo(command);
        registries.AddTo(command);
        git.AddTo(command);

        command.SetAction(parsed =>
        {
            string[] names = parsed.GetValue(targets)!;
            Targets.Validate(names);
            var gitSettings = git.Read(parsed);
            var report = scan.ReadReport(parsed);
            var validation = scan.ReadSecretHandling(parsed);
            // Read before scanning: a bad test-only setting fails at once, not after a long scan.
            var endpoints = validation.Validate ? ValidationEndpoints.FromEnvironment() : null;
            string[] directories = [.. names.Where(Directory.Exists)];
            using var session = scan.Open(parsed, [".", .. directories], directories, ScanCommandOptions.ConfigurationFolder(names));
            var warnings = new List<ScanWarning>();
            var registry = registries.Read(parsed, session.Settings.Limits.MemberLimit);
            using var http = new RegistryHttp(registry.Limits);
            using var resolved = Targets.Resolve(names, scan.ReadPaths(parsed, session.Settings), registry, http, gitSettings,
                (path, message) => { lock (warnings) { warnings.Add(new ScanWarning(path, message)); } });

            using var progress = ProgressBar.ForStandardError(enabled: !parsed.GetValue(noProgress));
            // Only a scan of several package versions compares them; listing every file of a big
            // tree would cost memory for nothing.
            var inventory = resolved.PackageVersions.Count > 1 ? new FileInventory() : null;
            // Secrets are kept in clear only when they are to be validated or shown, and only in memory.
            var vault = validation.Validate ? new SecretVault(session.Rules.All) : null;
            var shown = validation.ShowSecrets ? new ClearSecrets() : null;
            var (result, suppressed) = session.Scan(resolved.Items, inventory, progress.Update, secrets: SecretKeepers.Both(vault, shown),
                keepCompanions: vault is not null);
            resolved.ScanFinished();
            progress.Finish();
            result = result with { Warnings = [.. warnings, .. result.Warnings] };
            var notes = suppressed.ToList();
            if (vault is not null)
            {
                result = ScanValidation.Run(result, vault, validation.OnlyLive, endpoints!, notes);
                result = result with { Findings = CompanionRules.Drop(result.Findings, session.Rules) };
            }
            if (shown is not null)
            {
                result = result with { Findings = shown.Reveal(result.Findings) };
            }
            if (inventory is not null)
            {
                var (annotated, versionNotes) = VersionSteps.Annotate(resolved.PackageVersions, inventory.Files(), result.Findings);
                result = result with { Findings = annotated };
                notes.AddRange(versionNotes);
            }

            bool color = report.OutputPath is null && !parsed.GetValue(noColor) && !Console.IsOutputRedirected
                && Environment.GetEnvironmentVariable("NO_COLOR") is null;
            return ReportOutput.Finish(session.Report(result, notes), report, color);
        });
        return command;
    }
}
