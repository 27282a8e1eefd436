using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Scanning;

public class ScannerTests
{
    private const string Token = CoreTestKit.GitHubToken;

    [Fact]
    public void Reports_line_column_redacted_secret_and_rule()
    {
        var result = CoreTestKit.Scan(("src/app.js", $"// first\nconst a = 1;\n  const t = \"{Token}\";\n"));
        var finding = Assert.Single(result.Findings);
        Assert.Equal("test.github", finding.RuleId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(FindingKind.Secret, finding.Kind);
        Assert.Equal("src/app.js", finding.Location.Path);
        Assert.Equal(3, finding.Location.Line);
        Assert.Equal(14, finding.Location.Column);
        Assert.Equal("ghp_…G5iK", finding.Secret);
        Assert.DoesNotContain(Token, finding.Secret);
    }

    [Fact]
    public void The_fingerprint_ignores_the_line_but_not_the_path()
    {
        var a = Assert.Single(CoreTestKit.Scan(("a.txt", Token)).Findings);
        var moved = Assert.Single(CoreTestKit.Scan(("a.txt", "\n\n\n" + Token)).Findings);
        var elsewhere = Assert.Single(CoreTestKit.Scan(("b.txt", Token)).Findings);
        Assert.Equal(a.Fingerprint, moved.Fingerprint);
        Assert.NotEqual(a.Fingerprint, elsewhere.Fingerprint);
        Assert.Matches("^[0-9a-f]{32}$", a.Fingerprint);
    }

    [Fact]
    public void A_fingerprint_is_keyed_with_the_installation_key()
    {
        var rules = CoreTestKit.Rules();
        using var engine = MatchEngineFactory.Create(EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        Finding ScanWith(FingerprintKey key) => Assert.Single(new Scanner(rules, engine, new ScanOptions()) { FingerprintKey = key }
            .Run([new Blob { Path = "a.txt", Content = Encoding.UTF8.GetBytes(Token) }]).Findings);
        var key = new FingerprintKey("installation-key-0123456789abcdef");

        var first = ScanWith(key);
        var again = ScanWith(new FingerprintKey("installation-key-0123456789abcdef"));
        var otherInstallation = ScanWith(new FingerprintKey("another-installation-0123456789"));

        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.NotEqual(first.Fingerprint, otherInstallation.Fingerprint);
        Assert.NotEqual(first.SecretDigest, otherInstallation.SecretDigest);
        // Without the key, the secret alone does not give the fingerprint back.
        string unkeyed = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            Encoding.UTF8.GetBytes($"{first.RuleId}\na.txt\n{Token}")).AsSpan(0, 16));
        Assert.NotEqual(unkeyed, first.Fingerprint);
    }

    [Fact]
    public void A_secret_below_the_entropy_minimum_is_not_reported()
    {
        var result = CoreTestKit.Scan(("a.py", "password = \"aaaaaaaabbbbbbbb\"\npassword = \"Xk9#mQ2!vL7p\""));
        var finding = Assert.Single(result.Findings);
        Assert.Equal(2, finding.Location.Line);
    }

    [Theory]
    [InlineData("leakguard:allow")]
    [InlineData("gitleaks:allow")]
    public void An_inline_allow_comment_suppresses_that_line_only(string marker)
    {
        var result = CoreTestKit.Scan(("a.js", $"x = \"{Token}\" // {marker}\ny = \"{Token}\""));
        var finding = Assert.Single(result.Findings);
        Assert.Equal(2, finding.Location.Line);
        Assert.Equal(1, result.Stats.InlineSuppressed);
    }

    [Fact]
    public void A_path_rule_fires_on_the_path_alone()
    {
        var result = CoreTestKit.Scan(("deploy/.env", "nothing secret"), ("deploy/.env.example", "nothing"));
        var finding = Assert.Single(result.Findings);
        Assert.Equal("test.env-file", finding.RuleId);
        Assert.Equal(FindingKind.Exposure, finding.Kind);
        Assert.Null(finding.Location.Line);
        Assert.Null(finding.Secret);
    }

    [Fact]
    public void A_checkouts_metadata_is_scanned_for_content_but_not_reported_for_its_path()
    {
        var rules = CoreTestKit.Rules();
        using var engine = LeakGuard.Matching.MatchEngineFactory.Create(LeakGuard.Matching.EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        var metadata = new Blob { Path = "checkout/.env", Content = Encoding.UTF8.GetBytes(Token), IsCheckoutMetadata = true };
        var plain = new Blob { Path = "other/.env", Content = Encoding.UTF8.GetBytes(Token) };

        var result = new Scanner(rules, engine, new ScanOptions()).Run([metadata, plain]);

        Assert.Equal(
            [("checkout/.env", "test.github"), ("other/.env", "test.env-file"), ("other/.env", "test.github")],
            result.Findings.Select(f => (f.Location.Path, f.RuleId)));
    }

    [Fact]
    public void A_rule_with_a_path_condition_fires_only_on_matching_paths()
    {
        var result = CoreTestKit.Scan(("app.cfg", "cfgkey=abc123def456"), ("app.txt", "cfgkey=abc123def456"));
        Assert.Equal("app.cfg", Assert.Single(result.Findings).Location.Path);
    }

    [Fact]
    public void Binary_files_are_skipped_and_counted()
    {
        byte[] binary = [.. Encoding.ASCII.GetBytes(Token), 0, 1, 2, 3];
        var result = CoreTestKit.Scan(null, ("a.bin", binary));
        Assert.Empty(result.Findings);
        Assert.Equal(1, result.Stats.BinarySkipped);
    }

    [Fact]
    public void Identical_content_in_two_files_is_reported_at_both_paths()
    {
        var result = CoreTestKit.Scan(("one/a.txt", Token), ("two/a.txt", Token));
        Assert.Equal(["one/a.txt", "two/a.txt"], result.Findings.Select(f => f.Location.Path));
    }

    [Fact]
    public void Invalid_utf8_does_not_hide_a_secret_next_to_it()
    {
        byte[] content = [0xC3, 0x28, 0xFF, 0xFE, (byte)' ', .. Encoding.ASCII.GetBytes(Token), 0xE2, 0x82];
        var finding = Assert.Single(CoreTestKit.Scan(null, ("bad.txt", content)).Findings);
        Assert.Equal(6, finding.Location.Column);
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_skipped_with_a_warning_and_others_still_scanned()
    {
        var options = new ScanOptions { MaxFileSize = 100 };
        var result = CoreTestKit.Scan(options, ("big.txt", Encoding.ASCII.GetBytes(new string('x', 200) + Token)), ("small.txt", Encoding.ASCII.GetBytes(Token)));
        Assert.Equal("small.txt", Assert.Single(result.Findings).Location.Path);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("big.txt", warning.Path);
        Assert.Contains("--max-file-size", warning.Message);
    }

    [Fact]
    public void A_long_single_line_reports_the_right_column()
    {
        string line = new string('a', 5_000_000) + " " + Token;
        var finding = Assert.Single(CoreTestKit.Scan(("min.js", line)).Findings);
        Assert.Equal(1, finding.Location.Line);
        Assert.Equal(5_000_002, finding.Location.Column);
    }

    [Fact]
    public void Findings_come_in_a_stable_order()
    {
        var files = Enumerable.Range(0, 20).Select(i => ($"f{i:D2}.txt", $"{Token}\npassword = \"Xk9#mQ2!vL7p\"")).ToArray();
        var first = CoreTestKit.Scan(files).Findings.Select(f => (f.Location.Path, f.RuleId)).ToList();
        var second = CoreTestKit.Scan(files).Findings.Select(f => (f.Location.Path, f.RuleId)).ToList();
        Assert.Equal(40, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(first.OrderBy(x => x.Path, StringComparer.Ordinal).ThenBy(x => x.RuleId, StringComparer.Ordinal), first);
    }
}
