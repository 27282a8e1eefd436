namespace LeakGuard.Cli.Tests;

/// <summary>A user's rule that backtracks exponentially cannot hang a scan (issue 11.8).</summary>
public class SlowRuleScanTests
{
    private const string NestedRule = """
        rules:
          - id: custom.nested
            name: Internal host key
            kind: secret
            severity: high
            pattern: 'key=((?:[a-z]{1,30}\.?){1,30});'
            keywords: ['key=']
            examples: ['key=abc.def;']
            negative_examples: ['key=;']
        """;

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void The_69_byte_case_finishes_with_a_warning_naming_rule_and_file_and_every_other_file_is_scanned(string engine)
    {
        string dir = CliRunner.TempDirectory();
        string rules = Path.Join(dir, "rules");
        Directory.CreateDirectory(rules);
        TestRules.WriteTo(rules, TestRules.Token);
        File.WriteAllText(Path.Join(rules, "nested.yaml"), NestedRule);
        string tree = Path.Join(dir, "tree");
        Directory.CreateDirectory(tree);
        string hostile = "key=" + new string('a', 57) + "!key=ab;";
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
