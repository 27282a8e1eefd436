using LeakGuard.Core.Configuration;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Configuration;

public sealed class ScanConfigurationParserTests : IDisposable
{
    private readonly string _dir = CoreTestKit.TempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ScanConfiguration Parse(string yaml) => ScanConfiguration.Parse(yaml, "scan.yaml", _dir);

    [Fact]
    public void Every_key_is_read()
    {
        Directory.CreateDirectory(Path.Join(_dir, "ci", "rules"));
        var configuration = Parse("""
            include: ['src/**', 'dist/**']
            exclude: ['**/*.min.js']
            rules:
              extra: [ci/rules]
              disable: [generic.password-unquoted, slack]
              override:
                - id: generic.password-quoted
                  severity: high
                  confidence: low
                - id: generic
                  allowlist:
                    paths: ['docs/**']
                    stopwords: [changeme]
            allowlist:
              paths: ['**/fixtures/**']
              values: ['AKIA[0-9A-Z]{12}EXAMPLE']
              stopwords: [dummy]
            """);

        Assert.Equal(["src/**", "dist/**"], configuration.Include);
        Assert.Equal(["**/*.min.js"], configuration.Exclude);
        Assert.Equal([Path.Join(_dir, "ci", "rules")], configuration.ExtraRules);
        Assert.Equal(
            [new RuleSelector("generic.password-unquoted", "scan.yaml:5: rules.disable[0]"), new RuleSelector("slack", "scan.yaml:5: rules.disable[1]")],
            configuration.Disable);
        var quoted = configuration.Overrides[0];
        Assert.Equal(new RuleSelector("generic.password-quoted", "scan.yaml:7: rules.override[0].id"), quoted.Rules);
        Assert.Equal((Severity.High, Confidence.Low), (quoted.Severity, quoted.Confidence));
        Assert.True(quoted.Allowlist.IsEmpty);
        var generic = configuration.Overrides[1];
        Assert.Null(generic.Severity);
        Assert.Null(generic.Confidence);
        Assert.Equal(["docs/**"], generic.Allowlist.Paths);
        Assert.Equal(["changeme"], generic.Allowlist.Stopwords);
        Assert.Equal(["**/fixtures/**"], configuration.Allowlist.Paths);
        Assert.Equal(["dummy"], configuration.Allowlist.Stopwords);
        Assert.True(configuration.Allowlist.AllowsSecret("AKIAABCDEFGHIJKLEXAMPLE"));
        Assert.False(configuration.Allowlist.AllowsSecret("xAKIAABCDEFGHIJKLEXAMPLE"));
        Assert.True(configuration.Allowlist.AllowsSecret("a-DUMMY-key"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing yet\n")]
    [InlineData("rules:\nallowlist:\ninclude:\n")]
    public void An_empty_file_or_empty_keys_change_nothing(string yaml)
    {
        var configuration = Parse(yaml);

        var settings = configuration.ApplyTo(new ScanSettings());
        Assert.Empty(settings.Include);
        Assert.Empty(settings.DisabledRules);
        Assert.Empty(settings.RuleOverrides);
        Assert.True(settings.Allowlist.IsEmpty);
        Assert.Equal("scan.yaml", settings.ConfigurationFile);
    }

    [Fact]
    public void Applied_settings_add_to_the_command_lines()
    {
        var settings = Parse("include: ['a/**']\nexclude: ['b/**']\n").ApplyTo(new ScanSettings { Include = ["c/**"], Exclude = ["d/**"] });

        Assert.Equal(["c/**", "a/**"], settings.Include);
        Assert.Equal(["d/**", "b/**"], settings.Exclude);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_line_and_key()
    {
        var error = Assert.Throws<UsageException>(() => Parse("""
            include: src/**
            exclude: ['a\b']
            rules:
              disabled: [x]
              override:
                - severity: high
                - id: generic
                - id: generic
                  confidence: sure
            allowlist:
              values: ['(unclosed']
              stopwords: ['']
            colour: red
            """));

        Assert.Equal(
            [
                "scan.yaml:1: include: expected a list ('[a, b]' or '- …' entries)",
                @"scan.yaml:2: exclude[0]: 'a\b': separate folders with '/', not '\'",
                "scan.yaml:4: rules: unknown key 'disabled' (known: extra, disable, override)",
                "scan.yaml:6: rules.override[0]: names no rule: give 'id' (a rule id or tag)",
                "scan.yaml:7: rules.override[1]: changes nothing: give severity, confidence or allowlist",
                "scan.yaml:9: rules.override[2].confidence: 'sure' is not one of high, medium, low",
                "scan.yaml:11: allowlist.values[0]: '(unclosed' is not a valid regular expression: Invalid pattern '(unclosed' at offset 9. Not enough )'s.",
                "scan.yaml:12: allowlist.stopwords[0]: an empty stopword would allow every secret",
                "scan.yaml:13: unknown key 'colour' (known: include, exclude, rules, allowlist)",
            ],
            error.Message.Split('\n'));
    }

    [Fact]
    public void Not_yaml_is_a_usage_error_with_its_line()
    {
        var error = Assert.Throws<UsageException>(() => Parse("rules:\n  disable: [a\n"));

        Assert.StartsWith("scan.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_rule_paths_are_relative_to_the_file_and_must_exist()
    {
        var error = Assert.Throws<UsageException>(() => Parse("rules:\n  extra: [rules/missing.yaml]\n"));

        Assert.Equal($"scan.yaml:2: rules.extra[0]: no such rule file or folder '{Path.Join(_dir, "rules", "missing.yaml")}'", error.Message);
    }

    [Fact]
    public void A_file_is_found_only_in_the_folder_named()
    {
        Assert.Null(ScanConfiguration.Find(_dir));
        File.WriteAllText(Path.Join(_dir, ".leakguard.yaml"), "");
        Assert.Equal(Path.Join(_dir, ".leakguard.yaml"), ScanConfiguration.Find(_dir));
    }

    /// <summary>Found by the fuzz test: YamlDotNet throws InvalidOperationException, with no
    /// position, for a flow list continued on a line that is not indented.</summary>
    [Fact]
    public void A_flow_list_continued_on_an_unindented_line_is_a_problem_on_its_line_not_a_crash()
    {
        var error = Assert.Throws<UsageException>(() => Parse("include: ['src/**',\ndist/**]\n"));

        Assert.Equal("scan.yaml:1: not valid YAML: unexpected text after this point", error.Message);
    }

    /// <summary>Found by the fuzz test: ArgumentException from YamlDotNet.</summary>
    [Fact]
    public void An_alias_after_a_value_is_a_problem_not_a_crash()
    {
        var error = Assert.Throws<UsageException>(() => Parse("rules:\n  extra: [ci/rules]   *a\n"));

        Assert.StartsWith("scan.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    /// <summary>YamlDotNet builds nodes recursively: this overflowed the stack, which no catch survives.</summary>
    [Fact]
    public void Nesting_deeper_than_any_configuration_is_a_problem_not_a_stack_overflow()
    {
        var error = Assert.Throws<UsageException>(() => Parse("include: " + new string('[', 100_000) + new string(']', 100_000) + "\n"));

        Assert.Equal("scan.yaml:1: not valid YAML: nested deeper than 64 levels", error.Message);
    }

    /// <summary>Found by the long fuzz run: two keys of a mapping that are aliases of the mapping
    /// itself made YamlDotNet compare them forever, a stack overflow no catch survives.</summary>
    [Theory]
    [InlineData("allowlist: &x {*x : 1, *x : 2}\n")]
    [InlineData("allowlist: &x\n  *x : 1\n  *x : 2\n")]
    public void An_alias_of_a_node_that_contains_it_is_a_problem_not_a_stack_overflow(string yaml)
    {
        var error = Assert.Throws<UsageException>(() => Parse(yaml));

        Assert.Matches(@"^scan\.yaml:\d+: not valid YAML: \*x refers to a node that contains it$", error.Message);
    }

    /// <summary>Found by the long fuzz run after the fix above: keys that are aliases of an anchor
    /// further on are placeholders too, compared forever. An alias of a complete node still works.</summary>
    [Fact]
    public void An_alias_before_its_anchor_is_a_problem_not_a_stack_overflow()
    {
        var error = Assert.Throws<UsageException>(() => Parse("allowlist:\n  *y : 1\n  *y : 2\ninclude: &y ['src/**']\n"));

        Assert.Equal("scan.yaml:2: not valid YAML: *y comes before its anchor &y", error.Message);
        Assert.Equal(["dist/**"], Parse("exclude: &e ['dist/**']\ninclude: *e\n").Include);
    }
}
