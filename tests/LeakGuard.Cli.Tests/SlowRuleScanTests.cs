using LeakGuard.Tests.Shared;

namespace LeakGuard.Cli.Tests;

/// <summary>A user's rule that backtracks exponentially cannot hang a scan (issue 11.8).</summary>
public class SlowRuleScanTests
{
    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void The_69_byte_case_finishes_with_a_warning_naming_rule_and_file_and_every_other_file_is_scanned(string engine)
    {
        string dir = CliRunner.TempDirectory();
        string rules = Path.Join(dir, "rules");
        Directory.CreateDirectory(rules);
        TestRules.WriteTo(rules, TestRules.Token);
        File.WriteAllText(Path.Join(rules, "nested.yaml"), NestedQuantifierRule.Yaml);
        string tree = Path.Join(dir, "tree");
        Directory.CreateDirectory(tree);
        string hostile = NestedQuantifierRule.Hostile;
        Assert.Equal(69, hostile.Length);
        File.WriteAllText(Path.Join(tree, "hostile.txt"), hostile);
        File.WriteAllText(Path.Join(tree, "config.txt"), "token = tok_Zq8vJ2mT4kLp9Xw1cR7n\n");

        var run = CliRunner.Run("scan", tree, "--no-builtin-rules", "--rules", rules, "--engine", engine, "--verbose");

        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        Assert.Contains("test.token", run.Stdout);
        Assert.Contains("rule custom.nested: confirming its pattern took longer than 1 s in one place; the rest of this file was not searched for it", run.Stderr);
        Assert.Contains("hostile.txt", run.Stderr);
    }
}
