using System.Text.Json;

namespace LeakGuard.Cli.Tests;

public class ReportFormatTests
{

    private readonly string _dir = CliRunner.TempDirectory();

    private string[] Args(string format)
    {
        string rules = TestRules.WriteTo(_dir, TestRules.Token);
        string root = Path.Join(_dir, "build");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Join(root, "app.js"), "let a;\nconst k = 'tok_Zq8vJ2mT4kLp9Xw1cR7n';\n");
        return ["scan", root, "--no-builtin-rules", "--rules", rules, "--format", format];
    }

    [Fact]
    public void Sarif_output_carries_rule_region_and_fingerprint()
    {
        string sarif = Path.Join(_dir, "out.sarif");
        var run = CliRunner.Run([.. Args("sarif"), "--output", sarif]);
        Assert.Equal(1, run.ExitCode);
        var root = JsonDocument.Parse(File.ReadAllText(sarif)).RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var sarifRun = root.GetProperty("runs")[0];
        var rule = sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("rules")[0];
        Assert.Equal("test.token", rule.GetProperty("id").GetString());
        var result = sarifRun.GetProperty("results")[0];
        Assert.Equal("test.token", result.GetProperty("ruleId").GetString());
        Assert.Equal("error", result.GetProperty("level").GetString());
        var region = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal(2, region.GetProperty("startLine").GetInt32());
        Assert.Equal(12, region.GetProperty("startColumn").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", result.GetProperty("partialFingerprints").GetProperty("leakguard/v1").GetString());
    }

    [Fact]
    public void Jsonl_output_is_one_finding_per_line()
    {
        var run = CliRunner.Run(Args("jsonl"));
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var finding = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.Equal("test.token", finding.GetProperty("ruleId").GetString());
    }

    [Fact]
    public void Text_output_names_the_file_the_line_and_sums_up()
    {
        var run = CliRunner.Run(Args("text"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("app.js", run.Stdout);
        Assert.Contains("test.token", run.Stdout);
        Assert.Contains("2:12", run.Stdout);
        Assert.Contains("1 finding", run.Stdout);
        Assert.DoesNotContain("\u001b[", run.Stdout);
    }
}
