using System.Text;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Tests.Shared;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>A user's rule that backtracks exponentially costs its time limit and one warning per
/// file, never the scan.</summary>
public class RuleTimeoutTests
{
    private const string Token = CoreTestKit.GitHubToken;

    private const string NestedRule = NestedQuantifierRule.Yaml;

    private static readonly string Hostile = NestedQuantifierRule.Hostile;

    private static ScanResult Scan(string extraRules, params (string Path, string Text)[] files) => Scan(extraRules, new ScanOptions(), files);

    private static ScanResult Scan(string extraRules, ScanOptions options, params (string Path, string Text)[] files)
    {
        var rules = new RuleSet([.. CoreTestKit.Rules().All, .. RuleLoader.Parse(extraRules, "custom.yaml")]);
        using var engine = MatchEngineFactory.Create(EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        return new Scanner(rules, engine, options).Run(files.Select(f => new Blob { Path = f.Path, Content = Encoding.UTF8.GetBytes(f.Text) }));
    }

    [Fact]
    public void A_pattern_that_runs_out_of_time_in_a_streamed_file_is_one_warning_not_one_per_window()
    {
        var rules = new RuleSet([.. CoreTestKit.Rules().All, .. RuleLoader.Parse(NestedRule, "custom.yaml")]);
        int window = StreamWindows.Size(rules.MaxMatchWidth, 1);
        string filler = string.Concat(Enumerable.Range(0, window / 16).Select(i => $"line {i:D9}\n"));
        // The hostile text in each of three windows, a token at the end.
        string text = $"{Hostile}\n{filler}{Hostile}\n{filler}{Hostile}\n{filler}token = \"{Token}\"\n";

        var result = Scan(NestedRule, new ScanOptions { StreamAbove = 4096, StreamWindowSize = 1 }, ("big.log", text));

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("rule custom.nested: confirming its pattern took longer than 1 s", warning.Message);
        Assert.Equal("test.github", Assert.Single(result.Findings).RuleId);
        Assert.Contains(result.Notes, n => n.Contains("matched in windows", StringComparison.Ordinal));
    }

    [Fact]
    public void A_content_pattern_that_runs_out_of_time_is_one_warning_naming_rule_and_file_and_the_rest_is_scanned()
    {
        var result = Scan(NestedRule, ("hostile.txt", $"{Hostile}\n{Hostile}\ntoken = \"{Token}\"\n"), ("other.txt", $"t = \"{Token}\""));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("hostile.txt", warning.Path);
        Assert.Contains("rule custom.nested: confirming its pattern took longer than 1 s", warning.Message);
        Assert.Contains("the rest of this file was not searched for it", warning.Message);
        Assert.Equal(["hostile.txt", "other.txt"], result.Findings.Where(f => f.RuleId == "test.github").Select(f => f.Location.Path));
    }

    [Fact]
    public void A_path_regex_that_runs_out_of_time_is_a_warning_and_the_file_is_still_scanned()
    {
        // A look-ahead keeps this path regex on .NET's backtracking engine, with its 1 s limit.
        const string rule = """
            rules:
              - id: custom.odd-path
                name: Odd path
                kind: exposure
                severity: low
                path: '^(?=a)(?:a{1,30}b?)+!$'
                examples: ['ab!']
                negative_examples: ['b!']
            """;
        string path = new string('a', 40) + ".txt";

        var result = Scan(rule, (path, $"token = \"{Token}\"\n"));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(path, warning.Path);
        Assert.Contains("rule custom.odd-path: its path regex ran longer than 1 s on this path; the rule was not applied to it", warning.Message);
        Assert.Equal("test.github", Assert.Single(result.Findings).RuleId);
    }
}
