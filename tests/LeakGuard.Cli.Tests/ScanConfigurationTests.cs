using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Tests.Git;

namespace LeakGuard.Cli.Tests;

/// <summary>The scan configuration file: <c>.leakguard.yaml</c> in the scanned folder, or <c>--config FILE</c>.</summary>
public sealed class ScanConfigurationTests
{
    private const string Token = "tok_Zq8vJ2mT4kLp9Xw1cR7n";
    private const string Key = "key_Ab8vJ2mT4kLp9Xw1cR7q";

    /// <summary>Two rules of different families and tags.</summary>
    private const string Rules = """
        rules:
          - id: test.token
            name: Test token
            kind: secret
            severity: high
            tags: [tokens]
            pattern: '\b(tok_[A-Za-z0-9]{20})\b'
            keywords: [tok_]
            examples: ['tok_Zq8vJ2mT4kLp9Xw1cR7n']
            negative_examples: ['tok_short']
          - id: other.key
            name: Other key
            kind: secret
            severity: high
            tags: [keys]
            pattern: '\b(key_[A-Za-z0-9]{20})\b'
            keywords: [key_]
            examples: ['key_Zq8vJ2mT4kLp9Xw1cR7n']
            negative_examples: ['key_short']
        """;

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly string _tree;

    public ScanConfigurationTests()
    {
        _tree = Directory.CreateDirectory(Path.Join(_dir, "tree")).FullName;
    }

    private CliRunner.Outcome Scan(params string[] args) =>
        CliRunner.Run(["scan", .. TestRules.Options(_dir, Rules), "--no-progress", .. args]);

    private (CliRunner.Outcome Run, List<JsonElement> Findings) ScanJson(params string[] args)
    {
        string report = Path.Join(_dir, $"{Guid.NewGuid():N}.json");
        var run = Scan([.. args, "--format", "json", "--output", report]);
        Assert.True(File.Exists(report), run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return (run, [.. doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone())]);
    }

    /// <summary>Paths relative to the tree, with the rule: "src/a.txt test.token".</summary>
    private List<string> Found(params string[] args)
    {
        var (run, findings) = ScanJson(args);
        Assert.True(run.ExitCode is 0 or 1, run.Stderr);
        return [.. findings
            .Select(f => $"{Relative(f.GetProperty("location").GetProperty("path").GetString()!)} {f.GetProperty("ruleId").GetString()}")
            .Order(StringComparer.Ordinal)];
    }

    private string Relative(string path) => path.StartsWith(_tree + "/", StringComparison.Ordinal) ? path[(_tree.Length + 1)..] : path;

    private string Write(string relative, string text)
    {
        string file = Path.Join(_tree, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    private string Config(string yaml) => Write(".leakguard.yaml", yaml);

    /// <summary>Packs <paramref name="files"/> (relative paths, each holding the token) into an archive with the real tool.</summary>
    private string Archive(string name, params string[] files)
    {
        string staging = Directory.CreateDirectory(Path.Join(_dir, $"staging-{Guid.NewGuid():N}")).FullName;
        foreach (string file in files)
        {
            string full = Path.Join(staging, file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, $"token = {Token}\n");
        }
        string archive = Path.Join(_tree, name);
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        if (name.EndsWith(".zip", StringComparison.Ordinal))
        {
            ExternalTool.Run(staging, "zip", ["-q", "-r", archive, .. files]);
        }
        else
        {
            ExternalTool.Run(staging, "tar", ["czf", archive, .. files]);
        }
        return archive;
    }

    [Fact]
    public void A_leakguard_yaml_in_the_scanned_folder_disables_a_rule_by_id()
    {
        Write("a.txt", $"{Token}\n{Key}\n");
        Config("rules:\n  disable: [test.token]\n");

        Assert.Equal(["a.txt other.key"], Found(_tree));
    }

    [Theory]
    [InlineData("keys")]
    [InlineData("other")]
    public void Rules_are_disabled_by_tag_or_family(string tag)
    {
        Write("a.txt", $"{Token}\n{Key}\n");
        Config($"rules:\n  disable: [{tag}]\n");

        Assert.Equal(["a.txt test.token"], Found(_tree));
    }

    [Theory]
    [InlineData("test.token")]
    [InlineData("tokens")]
    public void An_override_sets_severity_and_confidence_of_a_rule_named_by_id_or_tag(string selector)
    {
        Write("a.txt", $"{Token}\n{Key}\n");
        Config($"""
            rules:
              override:
                - id: {selector}
                  severity: low
                  confidence: low
            """);

        var (run, findings) = ScanJson(_tree, "--min-confidence", "low");

        Assert.Equal(1, run.ExitCode);
        var token = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "test.token");
        Assert.Equal("low", token.GetProperty("severity").GetString());
        Assert.Equal("low", token.GetProperty("confidence").GetString());
        var key = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "other.key");
        Assert.Equal("high", key.GetProperty("severity").GetString());
        Assert.Equal("high", key.GetProperty("confidence").GetString());
        // Low confidence falls below the default --min-confidence, and low severity below --fail-on.
        Assert.Equal(["a.txt other.key"], Found(_tree));
    }

    [Fact]
    public void A_path_allowlist_drops_findings_in_matching_files_and_archive_members()
    {
        Write("fixtures/a.txt", $"{Token}\n");
        Write("src/b.txt", $"{Token}\n");
        Archive("dist/bundle.zip", "fixtures/c.txt", "lib/d.txt");
        Archive("dist/app.tgz", "package/fixtures/e.txt", "package/lib/f.txt");
        Config("allowlist:\n  paths: ['fixtures/**', 'package/fixtures/**']\n");

        Assert.Equal(["dist/app.tgz!package/lib/f.txt test.token", "dist/bundle.zip!lib/d.txt test.token", "src/b.txt test.token"], Found(_tree));
    }

    [Fact]
    public void A_rules_own_allowlist_applies_to_that_rule_only()
    {
        Write("src/a.txt", $"{Token}\n{Key}\n");
        Write("lib/b.txt", $"{Token}\n{Key}\n");
        Config("""
            rules:
              override:
                - id: keys
                  allowlist:
                    paths: ['src/**']
            """);

        Assert.Equal(["lib/b.txt other.key", "lib/b.txt test.token", "src/a.txt test.token"], Found(_tree));
    }

    [Fact]
    public void Value_regexes_match_whole_secrets_and_stopwords_any_part_case_insensitively()
    {
        Write("a.txt", $"""
            {Token}
            tok_00000000000000000000
            tok_xxDuMmYxxZq8vJ2mT4kL
            key_xxDuMmYxxZq8vJ2mT4kL
            """);
        Config("""
            allowlist:
              values: ['tok_0+', 'tok_Zq8v']
            rules:
              override:
                - id: test.token
                  allowlist:
                    stopwords: [dummy]
            """);

        var (_, findings) = ScanJson(_tree);

        // 'tok_Zq8v' matches only the start of the real token: it is still reported.
        Assert.Equal(["test.token:1", "other.key:4"],
            findings.Select(f => $"{f.GetProperty("ruleId").GetString()}:{f.GetProperty("location").GetProperty("line").GetInt32()}"));
    }

    [Fact]
    public void An_explicit_config_file_is_used_instead_of_the_one_in_the_folder_and_its_extra_rules_are_relative_to_it()
    {
        Write("a.txt", $"{Token}\n{Key}\nsec_0a1b2c3d4e5f6a7b\n");
        Config("rules:\n  disable: [test.token]\n");
        string settings = Directory.CreateDirectory(Path.Join(_dir, "settings", "more")).FullName;
        File.WriteAllText(Path.Join(settings, "extra.yaml"), """
            rules:
              - id: extra.secret
                name: Extra secret
                kind: secret
                severity: high
                pattern: '\b(sec_[a-f0-9]{16})\b'
                keywords: [sec_]
                examples: ['sec_0a1b2c3d4e5f6a7b']
                negative_examples: ['sec_short']
            """);
        string config = Path.Join(_dir, "settings", "scan.yaml");
        File.WriteAllText(config, "rules:\n  extra: [more/extra.yaml]\n  disable: [other.key]\n");

        Assert.Equal(["a.txt extra.secret", "a.txt test.token"], Found(_tree, "--config", config));
    }

    [Fact]
    public void Exclude_filters_members_of_an_archive_named_as_a_file()
    {
        string archive = Archive("app.tgz", "package/lib/a.js", "package/test/b.js");

        Assert.Equal(["app.tgz!package/lib/a.js test.token"], Found(archive, "--exclude", "package/test/**"));
        string config = Path.Join(_dir, "exclude.yaml");
        File.WriteAllText(config, "exclude: ['**/test/**']\n");
        Assert.Equal(["app.tgz!package/lib/a.js test.token"], Found(archive, "--config", config));
    }

    [Fact]
    public void Include_filters_members_inside_a_scanned_folder_and_an_archive_must_be_included_to_be_opened()
    {
        Write("notes.txt", $"{Token}\n");
        Write("src/a.js", $"{Token}\n");
        Archive("dist/site.zip", "index.js", "readme.txt");
        Archive("dist/other.tgz", "x.js");
        Config("include: ['**/*.js', '**/*.zip']\n");

        Assert.Equal(["dist/site.zip!index.js test.token", "src/a.js test.token"], Found(_tree));
    }

    [Fact]
    public void An_included_folder_keeps_the_members_of_its_archives()
    {
        Archive("src/app.zip", "lib/a.js");
        Archive("vendor/lib.zip", "lib/b.js");

        Assert.Equal(["src/app.zip!lib/a.js test.token"], Found(_tree, "--include", "src/**"));
    }

    [Fact]
    public void Include_and_exclude_filter_paths_in_git_history()
    {
        var repo = new TestRepository(Path.Join(_dir, "repo"));
        // Different contents: history offers each distinct blob once.
        repo.Write("deploy/secrets.env", $"TOKEN={Token}\n").Write("docs/example.md", $"Set TOKEN={Token}\n").Commit("both");
        repo.Delete("docs/example.md").Commit("drop the example");
        string cache = Path.Join(_dir, "git-cache");

        Assert.Equal(["deploy/secrets.env test.token"], Found("git:" + repo.Path, "--git-cache", cache, "--exclude", "docs/**"));
        Assert.Equal(["docs/example.md test.token"], Found("git:" + repo.Path, "--git-cache", cache, "--include", "docs/**"));
    }

    [Fact]
    public void Git_staged_finds_leakguard_yaml_in_the_repository()
    {
        var repo = new TestRepository(Path.Join(_dir, "repo"));
        repo.Write(".leakguard.yaml", "exclude: ['test/**']\n").Commit("configure");
        repo.Write("test/fixture.env", $"TOKEN={Token}\n").Write("app.env", $"KEY={Key}\n");
        repo.Git("add", "-A");
        string report = Path.Join(_dir, "staged.json");

        var run = CliRunner.Run(["git", "--staged", "--repo", repo.Path, .. TestRules.Options(_dir, Rules), "--no-progress",
            "--format", "json", "--output", report]);

        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("app.env", Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("location").GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("exlude: ['a/**']\n", ":1: unknown key 'exlude'")]
    [InlineData("rules:\n  disable: [test.token, no.such-rule]\n", ":2: rules.disable[1]: no rule has the id or tag 'no.such-rule'")]
    [InlineData("rules:\n  override:\n    - id: test.token\n      severity: urgent\n", ":4: rules.override[0].severity: 'urgent'")]
    [InlineData("rules:\n  override:\n    - id: test.token\n      allowlist:\n        colour: red\n", ":5: rules.override[0].allowlist: unknown key 'colour'")]
    [InlineData("allowlist:\n  values: ['tok_(']\n", ":2: allowlist.values[0]: 'tok_(' is not a valid regular expression")]
    [InlineData("include: ['src/**', '../elsewhere/**']\n", ":1: include[1]: '../elsewhere/**'")]
    [InlineData("allowlist:\n  paths: 'fixtures/**'\n", ":2: allowlist.paths: expected a list")]
    [InlineData("rules:\n  extra: [missing.yaml]\n", ":2: rules.extra[0]: no such rule file or folder")]
    public void An_invalid_configuration_is_a_usage_error_naming_file_line_and_key(string yaml, string expected)
    {
        Write("a.txt", $"{Token}\n");
        string config = Config(yaml);

        var run = Scan(_tree);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(config + expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_a_usage_error()
    {
        var run = Scan(_tree, "--config", Path.Join(_dir, "nope.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.yaml", run.Stderr, StringComparison.Ordinal);
    }
}
