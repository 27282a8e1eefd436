using LeakGuard.Tests.Shared;

namespace LeakGuard.Cli.Tests;

public class RulesCommandTests
{
    [Fact]
    public void Every_built_in_rule_passes_its_own_examples_on_both_engines()
    {
        foreach (string engine in new[] { "managed", "hyperscan" })
        {
            var run = CliRunner.Run("rules", "check", "--engine", engine);
            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            Assert.Contains($"engine {engine}: 0 failed", run.Stdout);
        }
    }

    [Fact]
    public void The_built_in_rule_set_covers_the_credentials_that_leak_most()
    {
        var run = CliRunner.Run("rules", "list");
        Assert.Equal(0, run.ExitCode);
        var ids = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToList();
        Assert.True(ids.Count >= 120, $"{ids.Count} rules");
        foreach (string family in new[] { "aws.", "gcp.", "azure.", "github.", "gitlab.", "npm", "nuget", "pypi", "rubygems", "docker",
                     "anthropic.", "openai.", "huggingface.", "stripe.", "slack.", "twilio.", "sendgrid.", "telegram.", "discord.", "jwt", "private-key" })
        {
            Assert.Contains(ids, id => id.StartsWith(family, StringComparison.Ordinal) || id.Contains(family, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_rule_whose_example_does_not_match_fails_the_check()
    {
        string dir = CliRunner.TempDirectory();
        string file = Path.Join(dir, "bad.yaml");
        File.WriteAllText(file, """
            rules:
              - id: bad.rule
                name: Bad
                kind: secret
                severity: high
                pattern: 'tok_[0-9]{8}'
                keywords: [tok_]
                examples: ['tok_1234']
                negative_examples: ['tok_12345678']
            """);
        var run = CliRunner.Run("rules", "check", "--no-builtin-rules", "--rules", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL bad.rule", run.Stdout);
        Assert.Contains("example 0 does not match", run.Stdout);
        Assert.Contains("negative example 0 matches", run.Stdout);
        Assert.Contains("2 failed", run.Stdout);
    }

    [Fact]
    public void A_rule_whose_secret_takes_in_the_delimiter_around_it_fails_the_check()
    {
        string dir = CliRunner.TempDirectory();
        string file = Path.Join(dir, "delimited.yaml");
        File.WriteAllText(file, """
            rules:
              - id: trailing.delimiter
                name: Host with the character after it
                kind: secret
                severity: info
                pattern: '[a-z0-9-]{3,40}\.bucket\.example(?:[^/\w.\-]|$)'
                keywords: [.bucket.example]
                examples: ['url = "acme-logs.bucket.example"', 'acme-logs.bucket.example']
                negative_examples: ['bucket.example']
              - id: leading.delimiter
                name: Token with the space before it
                kind: secret
                severity: info
                pattern: '\stok_[0-9]{8}'
                keywords: [tok_]
                examples: ['key tok_12345678']
                negative_examples: ['key tok_1234']
              - id: captured
                name: Host without the character after it
                kind: secret
                severity: info
                pattern: '([a-z0-9-]{3,40}\.store\.example)(?:[^/\w.\-]|$)'
                keywords: [.store.example]
                examples: ['url = "acme-logs.store.example",']
                negative_examples: ['store.example']
            """);
        var run = CliRunner.Run("rules", "check", "--no-builtin-rules", "--rules", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL trailing.delimiter", run.Stdout);
        Assert.Contains("example 0: the secret ends with '\"'", run.Stdout);
        Assert.Contains("FAIL leading.delimiter", run.Stdout);
        Assert.Contains("example 0: the secret starts with ' '", run.Stdout);
        Assert.DoesNotContain("FAIL captured", run.Stdout);
        Assert.Contains("2 failed", run.Stdout);
    }

    [Fact]
    public void A_rule_outside_the_dialect_is_a_usage_error_naming_it()
    {
        string dir = CliRunner.TempDirectory();
        string file = Path.Join(dir, "unbounded.yaml");
        File.WriteAllText(file, """
            rules:
              - id: greedy.rule
                name: Greedy
                kind: secret
                severity: high
                pattern: 'tok_[0-9]+'
                keywords: [tok_]
                examples: ['tok_1234']
                negative_examples: ['tok_']
            """);
        var run = CliRunner.Run("rules", "check", "--no-builtin-rules", "--rules", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("greedy.rule", run.Stderr);
        Assert.Contains("unbounded quantifier", run.Stderr);
    }

    [Fact]
    public void A_rule_whose_pattern_can_match_the_empty_string_is_a_usage_error_naming_it()
    {
        string dir = CliRunner.TempDirectory();
        string file = Path.Join(dir, "empty.yaml");
        // Its examples pass (the pattern does match 'tok_12345678'), so only the pattern check can stop it.
        File.WriteAllText(file, """
            rules:
              - id: empty.rule
                name: Empty
                kind: secret
                severity: high
                pattern: '(?:tok_[0-9]{8})?'
                keywords: [tok_]
                examples: ['tok_12345678']
                negative_examples: ['nothing here']
            """);
        var run = CliRunner.Run("rules", "check", "--no-builtin-rules", "--rules", file, "--engine", "managed");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("empty.rule", run.Stderr);
        Assert.Contains("can match the empty string", run.Stderr);
    }

    [Fact]
    public void A_rule_whose_pattern_backtracks_exponentially_fails_the_check()
    {
        string dir = CliRunner.TempDirectory();
        string file = Path.Join(dir, "nested.yaml");
        // Its own examples pass: only the worst case is wrong (69 bytes ran past 60 s on both engines).
        File.WriteAllText(file, NestedQuantifierRule.Yaml);

        var run = CliRunner.Run("rules", "check", "--no-builtin-rules", "--rules", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(@"FAIL custom.nested (" + file + @"): pattern: its worst case is exponential: nested quantifiers '(?:[a-z]{1,30}\.?){1,30}' at position 5", run.Stdout);
        Assert.Contains("1 failed", run.Stdout);
    }
}
