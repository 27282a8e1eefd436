using System.Text.Json;

namespace LeakGuard.Cli.Tests;

public class SuppressionTests
{

    private readonly string _dir = CliRunner.TempDirectory();

    private (string Root, string RulesFile) Setup()
    {
        string rules = TestRules.WriteTo(_dir, TestRules.Token);
        string root = Path.Join(_dir, "src");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Join(root, "a.txt"), "tok_Zq8vJ2mT4kLp9Xw1cR7n\n");
        return (root, rules);
    }

    private static List<string> Fingerprints(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("fingerprint").GetString()!)];

    [Fact]
    public void A_baseline_report_hides_known_findings_and_shows_new_ones()
    {
        var (root, rules) = Setup();
        string baseline = Path.Join(_dir, "baseline.json");
        Assert.Equal(1, CliRunner.Run("scan", root, "--no-builtin-rules", "--rules", rules, "--format", "json", "-o", baseline).ExitCode);
        Assert.Single(Fingerprints(File.ReadAllText(baseline)));

        var unchanged = CliRunner.Run("scan", root, "--no-builtin-rules", "--rules", rules, "--format", "json", "--baseline", baseline);
        Assert.Equal(0, unchanged.ExitCode);
        Assert.Empty(Fingerprints(unchanged.Stdout));

        File.WriteAllText(Path.Join(root, "b.txt"), "tok_Wq8vJ2mT4kLp9Xw1cR7m\n");
        var added = CliRunner.Run("scan", root, "--no-builtin-rules", "--rules", rules, "--format", "json", "--baseline", baseline);
        Assert.Equal(1, added.ExitCode);
        var finding = Assert.Single(JsonDocument.Parse(added.Stdout).RootElement.GetProperty("findings").EnumerateArray());
        Assert.EndsWith("b.txt", finding.GetProperty("location").GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_leakguardignore_in_the_scanned_directory_suppresses_by_fingerprint()
    {
        var (root, rules) = Setup();
        string fingerprint = Assert.Single(Fingerprints(CliRunner.Run("scan", root, "--no-builtin-rules", "--rules", rules, "--format", "json").Stdout));
        File.WriteAllText(Path.Join(root, ".leakguardignore"), $"# reviewed: test fixture\n{fingerprint}  # a.txt\n");
        var run = CliRunner.Run("scan", root, "--no-builtin-rules", "--rules", rules, "--format", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(Fingerprints(run.Stdout));
    }

    [Fact]
    public void A_baseline_that_is_not_a_report_is_a_usage_error()
    {
        var (root, rules) = Setup();
        string bogus = Path.Join(_dir, "bogus.json");
        File.WriteAllText(bogus, "[1, 2, 3]");
        var run = CliRunner.Run("scan", root, "--no-builtin-rules", "--rules", rules, "--baseline", bogus);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bogus.json", run.Stderr);
    }
}
