using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Tests.Rules;

public class RuleLoaderTests
{
    private const string Valid = """
        rules:
          - id: a.b
            name: A
            kind: secret
            severity: high
            pattern: 'abc_[0-9]{4}'
            keywords: [abc_]
            examples: ['abc_1234']
            negative_examples: ['abc_12']
        """;

    [Fact]
    public void Reads_every_field_of_a_rule()
    {
        var rule = Assert.Single(RuleLoader.Parse(Valid, "x.yaml"));
        Assert.Equal("a.b", rule.Id);
        Assert.Equal(Severity.High, rule.Severity);
        Assert.Equal(FindingKind.Secret, rule.Kind);
        Assert.Equal(["abc_"], rule.Keywords);
        Assert.Equal("x.yaml", rule.Source);
    }

    [Fact]
    public void A_built_in_validator_is_made_once_when_first_asked_for_and_kept_by_copies()
    {
        int made = 0;
        var spec = RuleLoader.LoadBuiltIn().First(r => r.Validator is not null).Validator!;
        var rule = new Rule { Id = "a.b", Name = "A", Kind = FindingKind.Secret, Severity = Severity.High, MakeValidator = () => { made++; return spec; } };
        var copy = rule.WithSeverity(Severity.Low);
        Assert.Equal(0, made);

        Assert.Same(spec, copy.Validator);
        Assert.Same(spec, rule.Validator);
        Assert.Equal(1, made);
        var broken = new Rule { Id = "a.c", Name = "C", Kind = FindingKind.Secret, Severity = Severity.High, MakeValidator = () => throw new RuleLoadException("rules/c.yaml: rule 'a.c': validate.url must be an absolute https:// URL") };
        Assert.Contains("validate.url", Assert.Throws<RuleLoadException>(() => broken.Validator).Message);
    }

    [Theory]
    [InlineData("severity: high", "severity: urgent", "severity must be")]
    [InlineData("kind: secret", "kind: fingerprint", "kind must be")]
    [InlineData("    keywords: [abc_]\n", "", "needs 'keywords'")]
    [InlineData("\n    negative_examples: ['abc_12']", "", "negative example")]
    [InlineData("pattern: 'abc_[0-9]{4}'", "pattern: 'abc_[0-9]+'", "unbounded")]
    [InlineData("pattern: 'abc_[0-9]{4}'", "pattern: '(?:abc_[0-9]{4})?'", "can match the empty string")]
    [InlineData("pattern: 'abc_[0-9]{4}'", "pattern: 'abc_[0-9]{4}|'", "can match the empty string")]
    public void A_bad_rule_names_its_file_rule_and_problem(string from, string to, string message)
    {
        string yaml = Valid.Replace(from, to, StringComparison.Ordinal);
        var error = Assert.ThrowsAny<Exception>(() => new RuleSet(RuleLoader.Parse(yaml, "x.yaml")));
        Assert.Contains(message, error.Message);
        Assert.Contains("a.b", error.Message);
    }

    [Fact]
    public void Broken_yaml_reports_the_line()
    {
        var error = Assert.Throws<RuleLoadException>(() => RuleLoader.Parse("rules:\n  - id: [unclosed\n", "bad.yaml"));
        Assert.StartsWith("bad.yaml: line", error.Message);
    }

    [Fact]
    public void A_path_rule_may_use_look_arounds()
    {
        const string yaml = """
            rules:
              - id: p.env
                name: env
                kind: exposure
                severity: high
                path: '(^|/)\.env(?!\.example$)(\.[a-z]+)?$'
                examples: ['a/.env.prod']
                negative_examples: ['a/.env.example']
            """;
        var rule = Assert.Single(RuleLoader.Parse(yaml, "p.yaml"));
        Assert.Matches(rule.Path!, "app/.env.production");
        Assert.DoesNotMatch(rule.Path!, "app/.env.example");
    }

    [Fact]
    public void Duplicate_ids_are_rejected()
    {
        var rules = RuleLoader.Parse(Valid, "one.yaml").Concat(RuleLoader.Parse(Valid, "two.yaml"));
        var error = Assert.Throws<RuleLoadException>(() => new RuleSet(rules));
        Assert.Contains("one.yaml", error.Message);
        Assert.Contains("two.yaml", error.Message);
    }

    [Fact]
    public void A_rule_set_knows_the_widest_match_any_of_its_rules_can_have()
    {
        // 'pw=' then 8 to 40 symbols, optionally a quote: at most 3 + 40 + 1; the other at most 4 + 20.
        const string Yaml = """
            rules:
              - id: a.wide
                name: Wide
                kind: secret
                severity: high
                pattern: 'pw=([A-Za-z0-9]{8,40})"?'
                keywords: [pw=]
                examples: ['pw=abcdEFGH1234']
                negative_examples: ['pw=short']
              - id: a.narrow
                name: Narrow
                kind: secret
                severity: high
                pattern: 'tok_[a-f0-9]{20}'
                keywords: [tok_]
                examples: ['tok_0123456789abcdef0123']
                negative_examples: ['tok_0123']
            """;
        Assert.Equal(44, new RuleSet(RuleLoader.Parse(Yaml, "w.yaml")).MaxMatchWidth);
        Assert.True(new RuleSet(RuleLoader.LoadBuiltIn()).MaxMatchWidth is > 0 and <= LeakGuard.Matching.PatternSyntax.MaxAllowedWidth);
    }
}
