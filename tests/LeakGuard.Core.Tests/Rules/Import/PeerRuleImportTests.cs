using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Rules.Import;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Rules.Import;

/// <summary>A gitleaks TOML configuration and a Nosey Parker / Kingfisher YAML rule file, given to
/// <c>--rules</c>, find their secrets end to end through a scan on both engines.</summary>
public sealed class PeerRuleImportTests : IDisposable
{
    private static readonly string Fixtures = Path.Join(AppContext.BaseDirectory, "Rules", "Import");
    private static readonly string Gitleaks = Path.Join(Fixtures, "acme-gitleaks.toml");
    private static readonly string NoseyParker = Path.Join(Fixtures, "acme-noseyparker.yml");

    private const string AcmeToken = "acme_k3v9q2x8m4z7w1p6r5t0y2u8i3o9a4s7";

    private readonly string _cache = Directory.CreateTempSubdirectory("leakguard-import-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private ScanSettings Settings(EngineKind engine, bool builtIn, params string[] rules) => new()
    {
        Engine = engine,
        BuiltInRules = builtIn,
        ExtraRules = rules,
        CacheDirectory = _cache,
        MinConfidence = Confidence.Low,
    };

    private (List<Finding> Findings, List<string> Notes) Scan(EngineKind engine, string rules, params (string Path, string Text)[] files)
    {
        var notes = new List<string>();
        using var session = ScanSession.Open(Settings(engine, builtIn: false, rules), notes.Add);
        var items = files.Select(f => SourceItem.InMemory(new Blob { Path = f.Path, Content = Encoding.UTF8.GetBytes(f.Text) }));
        return ([.. session.Scan(items).Result.Findings], notes);
    }

    private static readonly (string, string)[] GitleaksFiles =
    [
        ("app/config.env", $"ACME_TOKEN={AcmeToken}\n"),
        // secretGroup 1: the secret is the whole token, not the named body group.
        ("app/settings.ini", $"token = \"{AcmeToken.ToUpperInvariant()}\"\n"),
        // entropy 3.0: a repetitive token is below it.
        ("app/low.env", "ACME_TOKEN=acme_abababababababababababababababab\n"),
        // per-rule allowlist: a stopword and a regex on the secret.
        ("app/doc.md", "ACME_TOKEN=acme_k3v9q2x8example4z7w1p6r5t0y2u8i3\n"),
        ("app/zero.env", "ACME_TOKEN=acme_1234q2x8m4z7w1p6r5t0y2u8i3o9a4s7\n"),
        // global allowlist: a path.
        ("fixtures/sample.env", $"ACME_TOKEN={AcmeToken}\n"),
        // an AND allowlist on the line: a test comment in a .py file, but not in a .rb file.
        ("svc/a.py", "zeta-session = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlMTIz' # test\n"),
        ("svc/b.rb", "zeta-session = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlMTIz' # test\n"),
        ("svc/c.py", "zeta-session = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlMTIz'\n"),
        // a path-only rule.
        ("deploy/acme.keystore", "binary-ish"),
    ];

    [Theory]
    [InlineData(EngineKind.Managed)]
    [InlineData(EngineKind.Hyperscan)]
    public void A_gitleaks_configuration_finds_its_secrets_with_secret_group_entropy_path_and_allowlists(EngineKind engine)
    {
        var (findings, notes) = Scan(engine, Gitleaks, GitleaksFiles);

        // The engine ran every loaded rule itself: no fallback, no pattern Hyperscan refused.
        Assert.All(notes, n => Assert.Contains("left out", n, StringComparison.Ordinal));
        var found = findings.Select(f => (f.RuleId, f.Location.Path)).Order().ToList();
        Assert.Equal(
        [
            ("gitleaks.acme-api-token", "app/config.env"),
            ("gitleaks.acme-api-token", "app/settings.ini"),
            ("gitleaks.acme-keystore", "deploy/acme.keystore"),
            ("gitleaks.zeta-session", "svc/b.rb"),
            ("gitleaks.zeta-session", "svc/c.py"),
        ], found);
        var token = findings.First(f => f.Location.Path == "app/config.env");
        Assert.Equal(FindingKind.Secret, token.Kind);
        Assert.Equal(Severity.High, token.Severity);
        // The secret is group 1 (the whole token): its redacted form keeps the prefix.
        Assert.StartsWith("acme", token.Secret, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gitleaks_rule_that_cannot_be_translated_is_one_warning_naming_it_and_the_others_load()
    {
        var warnings = new List<string>();
        var loaded = RuleLoader.LoadPath(Gitleaks, warnings.Add);

        var warning = Assert.Single(warnings);
        Assert.Contains("gitleaks.lookahead-rule", warning, StringComparison.Ordinal);
        Assert.Contains("look-around", warning, StringComparison.Ordinal);
        Assert.Equal(["gitleaks.acme-api-token", "gitleaks.acme-keystore", "gitleaks.zeta-session"], loaded.Select(r => r.Id).Order());
    }

    [Fact]
    public void An_imported_configuration_adds_to_the_built_in_rules_whatever_extend_use_default_says()
    {
        string standalone = Path.Join(_cache, "standalone.toml");
        File.WriteAllText(standalone, File.ReadAllText(Gitleaks).Replace("useDefault = true", "useDefault = false", StringComparison.Ordinal));

        var extended = ScanSession.LoadRules(Settings(EngineKind.Managed, builtIn: true, Gitleaks));
        var standaloneRules = ScanSession.LoadRules(Settings(EngineKind.Managed, builtIn: true, standalone));
        var alone = ScanSession.LoadRules(Settings(EngineKind.Managed, builtIn: false, standalone));

        Assert.Contains(extended.All, r => r.Id == "github.pat");
        Assert.Contains(standaloneRules.All, r => r.Id == "github.pat");
        Assert.Contains(standaloneRules.All, r => r.Id == "gitleaks.acme-api-token");
        Assert.DoesNotContain(alone.All, r => r.Id == "github.pat");
        Assert.Contains(alone.All, r => r.Id == "gitleaks.acme-api-token");
    }

    [Theory]
    [InlineData(EngineKind.Managed)]
    [InlineData(EngineKind.Hyperscan)]
    public void A_nosey_parker_rule_file_finds_its_examples_and_not_its_negative_examples(EngineKind engine)
    {
        var warnings = new List<string>();
        var rules = RuleLoader.LoadPath(NoseyParker, warnings.Add);
        var files = rules.SelectMany(r => r.Examples.Select((e, i) => ($"{r.Id}/example/{i}", e))
            .Concat(r.NegativeExamples.Select((e, i) => ($"{r.Id}/negative/{i}", e)))).ToArray();

        var (findings, notes) = Scan(engine, NoseyParker, files);

        Assert.All(notes, n => Assert.Contains("left out", n, StringComparison.Ordinal));
        Assert.Equal(
        [
            ("np.acmewebhook.1", "np.acmewebhook.1/example/0"),
            ("np.acmewidget.1", "np.acmewidget.1/example/0"),
        ], findings.Select(f => (f.RuleId, f.Location.Path)).Order());
        var widget = rules.Single(r => r.Id == "np.acmewidget.1");
        Assert.Equal(Confidence.Medium, widget.Confidence);
        Assert.Equal(2.5, widget.Entropy);
        // The untranslatable rule is named once; the other two load.
        Assert.Contains("np.unicode.1", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Unbounded_quantifiers_are_bounded_by_the_documented_cap()
    {
        var translated = PeerRegex.Translate(@"key_[a-z]+x*y{2,}");

        Assert.Equal($"key_[a-z]{{1,{PeerRegex.RepeatCap}}}x{{0,{PeerRegex.RepeatCap}}}y{{2,{PeerRegex.RepeatCap}}}", translated.Pattern);
        Assert.Equal(4 + 3 * PeerRegex.RepeatCap, PatternSyntax.Analyze(translated.Pattern).MaxWidth);
    }

    [Fact]
    public void Nested_unbounded_quantifiers_are_narrowed_only_until_the_pattern_fits()
    {
        var rule = new ImportedRule { Id = "np.nested.1", Name = "nested", Pattern = @"host=(?:[a-z0-9]+\.)+example" }.ToRule("test");

        // The largest cap is halved first, among equals the one that widens the pattern most (the
        // outer one): at 64 each the pattern is 4172 wide, so the outer one goes to 32.
        Assert.Equal("host=(?:[a-z0-9]{1,64}\\.){1,32}example", rule.Pattern);
        Assert.True(PatternSyntax.Analyze(rule.Pattern!).MaxWidth <= PatternSyntax.MaxAllowedWidth);
    }

    [Fact]
    public void A_too_wide_repeat_is_narrowed_without_narrowing_the_others()
    {
        // Five-character groups repeated 1024 times are too wide; the host part keeps a cap long
        // enough for a real host name, where one narrow cap for the whole pattern (32) would not.
        var rule = new ImportedRule { Id = "np.wide.1", Name = "wide", Pattern = @"https://(?:ab12\.)*svc\.example/[a-z0-9.]*\?token=([a-z0-9]{32})" }.ToRule("test");

        Assert.Equal(@"https:\/\/(?:ab12\.){0,512}svc\.example\/[a-z0-9.]{0,1024}\?token=([a-z0-9]{32})", rule.Pattern);
    }

    [Theory]
    // Named groups keep their number; only the secret's group captures.
    [InlineData(@"(?P<pre>tok_)(?P<body>[a-z]{8})", 2, @"(?:tok_)([a-z]{8})")]
    // Extended mode: whitespace and comments go, escaped spaces stay.
    [InlineData("(?x) tok_ \\  [a-z]{8} # the body\n", 0, @"tok_ [a-z]{8}")]
    // Extended mode: whitespace inside a counted repetition goes too.
    [InlineData("(?x) tok_ [a-z]{4, 8}", 0, @"tok_[a-z]{4,8}")]
    // A case-insensitive part inside a case-sensitive pattern is spelt out.
    [InlineData(@"TOK_(?i:ab)[0-9]{4}", 0, @"TOK_(?:[aA][bB])[0-9]{4}")]
    // A wholly case-insensitive pattern keeps a leading (?i).
    [InlineData(@"(?i)tok_[a-z]{4}", 0, @"(?i)tok_[a-z]{4}")]
    // (?s) makes '.' match line breaks; POSIX classes become ranges; \x{..} becomes \xHH.
    [InlineData(@"(?s)tok_.{0,4}[[:xdigit:]]{4}\x{41}", 0, @"tok_[\s\S]{0,4}[0-9A-Fa-f]{4}A")]
    public void Peer_syntax_is_translated_where_it_means_the_same(string peer, int secretGroup, string expected)
    {
        var translated = PeerRegex.Translate(peer, secretGroup);

        Assert.Equal(expected, translated.Pattern);
        _ = PatternSyntax.Analyze(translated.Pattern);
    }

    [Theory]
    [InlineData(@"tok_(?=x)[a-z]{4}", "look-around")]
    [InlineData(@"\Atok_[a-z]{4}", "\\A")]
    [InlineData(@"tok_[a-z]{4}\z", "\\z")]
    [InlineData(@"tok_\p{L}{4}", "Unicode class")]
    [InlineData("tok_é[a-z]{4}", "non-ASCII")]
    [InlineData(@"tok_(?>[a-z]{4})", "atomic group")]
    [InlineData(@"tok_[a-z]{2}{3}", "quantifier on a quantifier")]
    [InlineData("tok_((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))", "nested more than 64 deep")]
    public void Constructs_without_an_equivalent_are_refused_with_the_reason(string peer, string reason)
    {
        var e = Assert.Throws<UntranslatablePatternException>(() => PeerRegex.Translate(peer));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"\b(ghp_[a-zA-Z0-9]{36})\b", new[] { "ghp_" })]
    [InlineData(@"(?i)(?:api|auth|(?-i:[Tt]oken))\s{0,3}[=:]([a-z0-9]{20})", new[] { "api", "auth", "token" })]
    [InlineData(@"\b((?:AKIA|ASIA)[A-Z0-9]{16})\b", new[] { "akia", "asia" })]
    // A literal split by an optional part: every match starts "$5$", with or without "rounds=…".
    [InlineData(@"\$5(?:\$rounds=\d+)?\$[./A-Za-z0-9]{8,16}\$[./A-Za-z0-9]{43}", new[] { "$5$", "$5$rounds=" })]
    public void Keywords_are_the_literals_every_match_contains(string peer, string[] keywords)
    {
        Assert.Equal(keywords, PeerRegex.Translate(peer).RequiredLiterals);
    }

    [Fact]
    public void A_pattern_without_a_literal_every_match_contains_is_refused()
    {
        var e = Assert.Throws<UntranslatablePatternException>(() =>
            new ImportedRule { Id = "gitleaks.hex", Name = "hex", Pattern = "[a-f0-9]{32}" }.ToRule("test"));

        Assert.Contains("literal", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeakGuard_rule_files_are_not_taken_for_peer_files()
    {
        string own = Path.Join(_cache, "own.yaml");
        File.WriteAllText(own, """
            rules:
              - id: acme.key
                name: Acme key
                kind: secret
                severity: medium
                pattern: '\b(acmek_[a-f0-9]{16})\b'
                keywords: [acmek_]
                examples: ['acmek_0a1b2c3d4e5f6a7b']
                negative_examples: ['acmek_short']
            """);

        var rule = Assert.Single(RuleLoader.LoadPath(own, _ => { }));

        Assert.Equal(Severity.Medium, rule.Severity);
    }
}
