using System.Text.Json;

namespace LeakGuard.Cli.Tests;

/// <summary>
/// The same files give the same fingerprints however the target is named: `scan .` from inside,
/// a relative path from beside it, an absolute path from anywhere. So a .leakguardignore or a
/// baseline made on a laptop applies in CI, which names the checkout differently.
/// </summary>
public sealed class StableFingerprintTests
{
    private const string Token = "tok_Zq8vJ2mT4kLp9Xw1cR7n";
    private const string ArchivedToken = "tok_Wq8vJ2mT4kLp9Xw1cR7m";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly string _rules;
    private readonly string _project;

    public StableFingerprintTests()
    {
        _rules = TestRules.WriteTo(_dir, TestRules.Token);
        _project = Path.Join(_dir, "project");
        Directory.CreateDirectory(Path.Join(_project, "config"));
        File.WriteAllText(Path.Join(_project, "config", "app.env"), $"\n\nTOKEN={Token}\n");
        string staging = Path.Join(_dir, "staging");
        Directory.CreateDirectory(Path.Join(staging, "app"));
        File.WriteAllText(Path.Join(staging, "app", "settings.env"), $"TOKEN={ArchivedToken}\n");
        Directory.CreateDirectory(Path.Join(_project, "dist"));
        var zip = new LeakGuard.Processes.ProcessCommand("zip", ["-q", "-r", Path.Join(_project, "dist", "bundle.zip"), "app"])
        {
            WorkingDirectory = staging,
            Description = "zip",
        };
        LeakGuard.Processes.ProcessRunner.Run(zip, TimeSpan.FromMinutes(1)).EnsureSuccess();
    }

    private JsonElement ScanIn(string workingDirectory, string target, params string[] more)
    {
        var run = CliRunner.RunInDirectory(workingDirectory,
            ["scan", target, "--no-builtin-rules", "--rules", _rules, "--no-progress", "--format", "json", .. more]);
        Assert.True(run.ExitCode is 0 or 1, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    private static List<(string Path, string Fingerprint)> Findings(JsonElement report) =>
        [.. report.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("location").GetProperty("path").GetString()!, f.GetProperty("fingerprint").GetString()!))];

    private static List<string> Fingerprints(JsonElement report) => [.. Findings(report).Select(f => f.Fingerprint).Order(StringComparer.Ordinal)];

    [Fact]
    public void A_directory_scanned_as_dot_relative_and_absolute_gives_the_same_fingerprints()
    {
        var fromInside = ScanIn(_project, ".");
        var fromBeside = ScanIn(_dir, "project");
        var absolute = ScanIn("/", _project);

        Assert.Equal(2, Findings(fromInside).Count);
        Assert.Contains(Findings(absolute), f => f.Path == Path.Join(_project, "dist", "bundle.zip") + "!app/settings.env");
        Assert.Contains(Findings(fromBeside), f => f.Path == Path.Join("project", "config", "app.env"));
        Assert.Equal(Fingerprints(fromInside), Fingerprints(fromBeside));
        Assert.Equal(Fingerprints(fromInside), Fingerprints(absolute));
    }

    [Fact]
    public void A_file_scanned_by_any_path_gives_the_same_fingerprint()
    {
        string file = Path.Join(_project, "config", "app.env");

        var byName = ScanIn(Path.Join(_project, "config"), "app.env");
        var relative = ScanIn(_dir, Path.Join("project", "config", "app.env"));
        var absolute = ScanIn("/", file);

        Assert.Single(Fingerprints(byName));
        Assert.Equal(Fingerprints(byName), Fingerprints(relative));
        Assert.Equal(Fingerprints(byName), Fingerprints(absolute));
    }

    [Fact]
    public void A_leakguardignore_made_from_one_way_of_naming_the_tree_applies_to_the_others()
    {
        var fingerprints = Fingerprints(ScanIn(_project, "."));
        File.WriteAllText(Path.Join(_project, ".leakguardignore"), string.Join("\n", fingerprints.Select(f => $"{f}  # reviewed")) + "\n");

        Assert.Empty(Findings(ScanIn(_dir, "project")));
        Assert.Empty(Findings(ScanIn("/", _project)));
    }

    [Fact]
    public void A_baseline_made_on_one_machine_applies_where_the_checkout_has_another_path()
    {
        string baseline = Path.Join(_dir, "baseline.json");
        var laptop = CliRunner.RunInDirectory(_project,
            "scan", ".", "--no-builtin-rules", "--rules", _rules, "--no-progress", "--format", "json", "--output", baseline);
        Assert.Equal(1, laptop.ExitCode);

        string ci = Path.Join(_dir, "ci", "build", "checkout");
        Directory.CreateDirectory(Path.GetDirectoryName(ci)!);
        Directory.Move(_project, ci);

        Assert.Empty(Findings(ScanIn("/", ci, "--baseline", baseline)));
    }
}
