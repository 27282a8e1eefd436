using System.Text;
using LeakGuard.Core.Configuration;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Configuration;

/// <summary>A configuration file applied by a session: rules disabled and re-graded, allowlists,
/// member filters.</summary>
public sealed class ConfiguredScanTests : IDisposable
{
    private const string Token = CoreTestKit.GitHubToken;
    private const string CloudKey = "ck_0a1b2c3d4e5f6a7b";

    private const string TaggedRules = """
        rules:
          - id: cloud.key
            name: Cloud key
            kind: secret
            severity: high
            tags: [vendor]
            pattern: '\b(ck_[a-f0-9]{16})\b'
            keywords: [ck_]
            examples: ['ck_0a1b2c3d4e5f6a7b']
            negative_examples: ['ck_short']
        """;

    private readonly string _dir = CoreTestKit.TempDirectory();
    private readonly string _root;

    public ConfiguredScanTests()
    {
        File.WriteAllText(Path.Join(_dir, "rules.yaml"), CoreTestKit.RulesYaml);
        File.WriteAllText(Path.Join(_dir, "tagged.yaml"), TaggedRules);
        _root = Directory.CreateDirectory(Path.Join(_dir, "root")).FullName;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Settings with the test rules and <paramref name="yaml"/> as the configuration file of the scanned root.</summary>
    private ScanSettings Configured(string yaml)
    {
        var settings = new ScanSettings
        {
            Engine = EngineKind.Managed,
            BuiltInRules = false,
            ExtraRules = [Path.Join(_dir, "rules.yaml"), Path.Join(_dir, "tagged.yaml")],
            CacheDirectory = _dir,
            MinConfidence = Confidence.Low,
            ScanRoots = [_root],
        };
        string file = Path.Join(_root, ScanConfiguration.FileName);
        File.WriteAllText(file, yaml);
        return ScanConfiguration.Load(file).ApplyTo(settings);
    }

    private static SourceItem Item(string path, string text) =>
        SourceItem.InMemory(new Blob { Path = path, Content = Encoding.UTF8.GetBytes(text) });

    private SourceItem InRoot(string relative, string text) => Item(Path.Join(_root, relative), text);

    /// <summary>An archive of <paramref name="members"/> (each holding the token) made by the real tool, as a source item.</summary>
    private SourceItem Archive(string name, params string[] members)
    {
        string staging = Directory.CreateDirectory(Path.Join(_dir, $"staging-{Guid.NewGuid():N}")).FullName;
        foreach (string member in members)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Join(staging, member))!);
            File.WriteAllText(Path.Join(staging, member), $"t = \"{Token}\"\n");
        }
        string archive = Path.Join(staging, Path.GetFileName(name));
        if (name.EndsWith(".zip", StringComparison.Ordinal))
        {
            CoreTestKit.Run(staging, "zip", ["-q", "-r", archive, .. members]);
        }
        else
        {
            CoreTestKit.Run(staging, "tar", ["-czf", archive, .. members]);
        }
        return new SourceItem { Path = Path.Join(_root, name), Open = () => File.OpenRead(archive) };
    }

    private string Relative(Finding finding) =>
        finding.Location.Path.StartsWith(_root + "/", StringComparison.Ordinal) ? finding.Location.Path[(_root.Length + 1)..] : finding.Location.Path;

    [Theory]
    [InlineData("cloud.key")]
    [InlineData("cloud")]
    [InlineData("vendor")]
    public void A_disabled_rule_named_by_id_family_or_tag_is_left_out_of_the_rule_set(string selector)
    {
        using var session = ScanSession.Open(Configured($"rules:\n  disable: [{selector}]\n"));

        var (result, _) = session.Scan([InRoot("a.txt", $"{CloudKey}\nt = \"{Token}\"\n")]);

        Assert.DoesNotContain(session.Rules.All, r => r.Id == "cloud.key");
        Assert.Equal(4, session.Rules.All.Count);
        Assert.Equal("test.github", Assert.Single(result.Findings).RuleId);
    }

    [Fact]
    public void Disabling_a_family_leaves_out_every_rule_of_it()
    {
        using var session = ScanSession.Open(Configured("rules:\n  disable: [test]\n"));

        Assert.Equal(["cloud.key"], session.Rules.All.Select(r => r.Id));
    }

    [Fact]
    public void An_override_by_tag_then_by_id_sets_severity_and_confidence_and_the_id_wins()
    {
        using var session = ScanSession.Open(Configured("""
            rules:
              override:
                - id: test.github
                  severity: low
                - id: test
                  severity: info
                  confidence: low
            """));

        var (result, _) = session.Scan([InRoot("a.txt", $"{CloudKey}\nt = \"{Token}\"\n")]);

        var token = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal((Severity.Low, Confidence.Low), (token.Severity, token.Confidence));
        var key = Assert.Single(result.Findings, f => f.RuleId == "cloud.key");
        Assert.Equal((Severity.High, Confidence.High), (key.Severity, key.Confidence));
        // The report's rule table says the same.
        Assert.Equal(Severity.Low, session.Rules.All.Single(r => r.Id == "test.github").Severity);
        Assert.Equal(Severity.Info, session.Rules.All.Single(r => r.Id == "test.password").Severity);
    }

    [Fact]
    public void A_path_allowlist_matches_paths_relative_to_the_scanned_root_and_archive_members()
    {
        using var session = ScanSession.Open(Configured("allowlist:\n  paths: ['fixtures/**']\n"));

        var (result, notes) = session.Scan([
            InRoot("fixtures/a.js", $"t = \"{Token}\""),
            InRoot("src/fixtures.js", $"t = \"{Token}\""),
            Archive("dist/bundle.zip", "fixtures/b.js", "lib/c.js"),
            Archive("dist/app.tgz", "fixtures/d.js")]);

        Assert.Equal(["dist/bundle.zip!lib/c.js", "src/fixtures.js"], result.Findings.Select(Relative));
        Assert.Contains("allowlisted: 3 findings by path, 0 secrets by value or stopword", notes);
    }

    [Fact]
    public void A_rules_own_path_allowlist_applies_to_it_alone()
    {
        using var session = ScanSession.Open(Configured("""
            rules:
              override:
                - id: vendor
                  allowlist:
                    paths: ['test/**']
            """));

        var (result, _) = session.Scan([InRoot("test/a.txt", $"{CloudKey}\nt = \"{Token}\"\n")]);

        Assert.Equal("test.github", Assert.Single(result.Findings).RuleId);
    }

    [Fact]
    public void Value_patterns_must_match_the_whole_secret_and_stopwords_any_part_ignoring_case()
    {
        using var session = ScanSession.Open(Configured("""
            allowlist:
              values: ['ck_0+', 'ghp_Zq8v']
            rules:
              override:
                - id: test.github
                  allowlist:
                    stopwords: [example]
            """));

        var (result, notes) = session.Scan([InRoot("a.txt", $"""
            ck_0000000000000000
            t = "{Token}"
            t = "ghp_ExAmPlE8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aE"
            """)]);

        Assert.Equal([2], result.Findings.Select(f => f.Location.Line ?? 0));
        Assert.Contains("allowlisted: 0 findings by path, 2 secrets by value or stopword", notes);
    }

    [Fact]
    public void Include_and_exclude_select_archive_members_and_an_excluded_member_is_not_read()
    {
        var settings = Configured("exclude: ['package/test/**']\n");
        using var session = ScanSession.Open(settings);

        var (result, _) = session.Scan([Archive("pkg.tgz", "package/lib/a.js", "package/test/b.js")]);

        Assert.Equal(["pkg.tgz!package/lib/a.js"], result.Findings.Select(Relative));
        Assert.Equal(2, result.Stats.Blobs); // the archive and one member

        using var included = ScanSession.Open(settings with { Exclude = [], Include = ["**/test/**"] });
        Assert.Equal(["pkg.tgz!package/test/b.js"], included.Scan([Archive("pkg.tgz", "package/lib/a.js", "package/test/b.js")]).Result.Findings.Select(Relative));
    }

    [Fact]
    public void A_member_is_included_by_its_whole_path_too_so_an_archive_in_an_included_folder_is_scanned()
    {
        using var session = ScanSession.Open(Configured("include: ['src/**']\n"));

        var (result, _) = session.Scan([Archive("src/app.zip", "lib/a.js"), Archive("dist/app.zip", "lib/b.js")]);

        Assert.Equal(["src/app.zip!lib/a.js"], result.Findings.Select(Relative));
    }

    [Fact]
    public void A_selector_that_names_no_rule_is_a_usage_error_naming_file_and_line()
    {
        var settings = Configured("rules:\n  disable: [cloud]\n  override:\n    - id: no-such-tag\n      severity: low\n");

        var error = Assert.Throws<UsageException>(() => ScanSession.Open(settings));

        Assert.Equal($"{Path.Join(_root, ".leakguard.yaml")}:4: rules.override[0].id: no rule has the id or tag 'no-such-tag'", error.Message);
    }

    [Fact]
    public void Analyzer_rules_can_be_named_and_a_disabled_one_leaves_the_reports_rule_table()
    {
        using var session = ScanSession.Open(Configured("rules:\n  disable: [leakguard.source-link]\n  override:\n    - id: leakguard.archive-bomb\n      severity: high\n"));

        var report = session.Report(session.Scan([]).Result, []);

        Assert.DoesNotContain(report.Rules, r => r.Id == "leakguard.source-link");
        Assert.Equal(Severity.High, report.Rules.Single(r => r.Id == "leakguard.archive-bomb").Severity);
    }

    [Fact]
    public void Without_a_configuration_the_session_adds_no_note()
    {
        var settings = new ScanSettings
        {
            Engine = EngineKind.Managed, BuiltInRules = false, ExtraRules = [Path.Join(_dir, "rules.yaml")], CacheDirectory = _dir,
        };
        using var session = ScanSession.Open(settings);

        Assert.Empty(session.Scan([Item("a.txt", $"t = \"{Token}\"")]).Notes);
    }
}
