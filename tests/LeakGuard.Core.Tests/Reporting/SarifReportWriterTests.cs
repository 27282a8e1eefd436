using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Reporting;

public class SarifReportWriterTests
{
    private static JsonElement Sarif(ScanReport report) =>
        JsonDocument.Parse(Render(new SarifReportWriter(), report)).RootElement;

    private static JsonElement Run(ScanReport report) => Assert.Single(Sarif(report).GetProperty("runs").EnumerateArray().ToArray());

    private static JsonElement[] RuleTable(ScanReport report) =>
        [.. Run(report).GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()];

    private static JsonElement OnlyResult(Finding finding) =>
        Assert.Single(Run(Report([finding], [Rule(severity: finding.Severity)])).GetProperty("results").EnumerateArray().ToArray());

    private static JsonElement OnlyRule(Core.Rules.Rule rule) =>
        Assert.Single(RuleTable(Report([Finding(ruleId: rule.Id)], [rule])));

    private static JsonElement PhysicalLocation(JsonElement result) =>
        Assert.Single(result.GetProperty("locations").EnumerateArray().ToArray()).GetProperty("physicalLocation");

    [Fact]
    public void Declares_the_sarif_2_1_0_schema_and_version()
    {
        var sarif = Sarif(Report([Finding()]));

        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", sarif.GetProperty("$schema").GetString());
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
    }

    [Fact]
    public void Driver_names_leakguard_with_its_version_and_information_uri()
    {
        var driver = Run(Report([Finding()])).GetProperty("tool").GetProperty("driver");

        Assert.Equal("LeakGuard", driver.GetProperty("name").GetString());
        Assert.Equal("0.1.0", driver.GetProperty("version").GetString());
        Assert.Equal("0.1.0", driver.GetProperty("semanticVersion").GetString());
        // Optional in SARIF 2.1.0, and the project has no public home to point at yet.
        Assert.False(driver.TryGetProperty("informationUri", out _));
    }

    [Fact]
    public void Rule_table_lists_only_the_rules_that_have_findings()
    {
        var report = Report(
            [Finding(ruleId: "aws.access-key")],
            [Rule(id: "github.classic-pat"), Rule(id: "aws.access-key"), Rule(id: "slack.token")]);

        var ids = RuleTable(report).Select(r => r.GetProperty("id").GetString());

        Assert.Equal(["aws.access-key"], ids);
    }

    [Fact]
    public void Rule_index_points_at_the_rule_of_the_result()
    {
        var report = Report(
            [Finding(ruleId: "slack.token"), Finding(ruleId: "aws.access-key"), Finding(ruleId: "slack.token", line: 9)],
            [Rule(id: "aws.access-key"), Rule(id: "github.classic-pat"), Rule(id: "slack.token")]);
        var rules = RuleTable(report);

        var results = Run(report).GetProperty("results").EnumerateArray().ToArray();

        Assert.Equal(3, results.Length);
        Assert.All(results, result => Assert.Equal(
            result.GetProperty("ruleId").GetString(),
            rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString()));
    }

    [Fact]
    public void Finding_of_a_rule_the_report_does_not_list_gets_a_descriptor_from_the_finding()
    {
        var finding = Finding(ruleId: "leakguard.source-map", title: "Source map ships sourcesContent", kind: FindingKind.Exposure, severity: Severity.High);

        var report = Report([finding], [Rule()]);

        var rule = Assert.Single(RuleTable(report));
        Assert.Equal("leakguard.source-map", rule.GetProperty("id").GetString());
        Assert.Equal("Source map ships sourcesContent", rule.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal(0, Assert.Single(Run(report).GetProperty("results").EnumerateArray().ToArray()).GetProperty("ruleIndex").GetInt32());
    }

    [Fact]
    public void Rule_descriptor_describes_the_rule()
    {
        var rule = OnlyRule(Rule(references: ["not a uri", "https://docs.github.com/en/authentication", "https://example.com/second"]));

        Assert.Equal("github.classic-pat", rule.GetProperty("id").GetString());
        Assert.Equal("GithubClassicPat", rule.GetProperty("name").GetString());
        Assert.Equal(GitHubTokenTitle, rule.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.StartsWith(GitHubTokenTitle, rule.GetProperty("fullDescription").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://docs.github.com/en/authentication", rule.GetProperty("helpUri").GetString());
        Assert.Equal("error", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
    }

    [Fact]
    public void Rule_without_references_has_no_help_uri()
    {
        var rule = OnlyRule(Rule(references: []));

        Assert.False(rule.TryGetProperty("helpUri", out _));
    }

    [Theory]
    [InlineData(FindingKind.Secret, "secret")]
    [InlineData(FindingKind.Exposure, "exposure")]
    [InlineData(FindingKind.Fingerprint, "fingerprint")]
    public void Rule_is_tagged_security_and_its_kind(FindingKind kind, string tag)
    {
        var rule = OnlyRule(Rule(kind: kind));

        var tags = rule.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(t => t.GetString());
        Assert.Equal(["security", tag], tags);
    }

    [Theory]
    [InlineData(Severity.Critical, "9.5")]
    [InlineData(Severity.High, "8.0")]
    [InlineData(Severity.Medium, "5.5")]
    [InlineData(Severity.Low, "3.0")]
    [InlineData(Severity.Info, "1.0")]
    public void Security_severity_follows_the_rules_severity(Severity severity, string score)
    {
        var rule = OnlyRule(Rule(severity: severity));

        Assert.Equal(score, rule.GetProperty("properties").GetProperty("security-severity").GetString());
    }

    [Theory]
    [InlineData(Severity.Critical, "error")]
    [InlineData(Severity.High, "error")]
    [InlineData(Severity.Medium, "warning")]
    [InlineData(Severity.Low, "note")]
    [InlineData(Severity.Info, "note")]
    public void Result_level_follows_the_findings_severity(Severity severity, string level)
    {
        var result = OnlyResult(Finding(severity: severity));

        Assert.Equal(level, result.GetProperty("level").GetString());
    }

    [Fact]
    public void Message_gives_the_title_and_the_redacted_secret()
    {
        var result = OnlyResult(Finding(secret: "ghp_…G5iK"));

        Assert.Equal($"{GitHubTokenTitle}: ghp_…G5iK", result.GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public void Message_of_a_finding_without_a_secret_is_its_title()
    {
        var result = OnlyResult(Finding(secret: null));

        Assert.Equal(GitHubTokenTitle, result.GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public void Partial_fingerprints_carry_the_findings_fingerprint()
    {
        var finding = Finding();

        var result = OnlyResult(finding);

        Assert.Equal(finding.Fingerprint, result.GetProperty("partialFingerprints").GetProperty("leakguard/v1").GetString());
    }

    [Fact]
    public void Region_gives_start_line_and_column_when_known()
    {
        var region = PhysicalLocation(OnlyResult(Finding(line: 14, column: 3))).GetProperty("region");

        Assert.Equal(14, region.GetProperty("startLine").GetInt32());
        Assert.Equal(3, region.GetProperty("startColumn").GetInt32());
    }

    [Fact]
    public void Region_is_omitted_when_the_line_is_unknown()
    {
        var location = PhysicalLocation(OnlyResult(Finding(line: null, column: null)));

        Assert.False(location.TryGetProperty("region", out _));
        Assert.True(location.TryGetProperty("artifactLocation", out _));
    }

    [Theory]
    [InlineData("src/app.js", "src/app.js")]
    [InlineData("src/my file.js", "src/my%20file.js")]
    [InlineData("pkg.tgz!package/dist/cli.js.map!src/main.ts", "pkg.tgz!package/dist/cli.js.map!src/main.ts")]
    [InlineData(@"build\out\app.js", "build/out/app.js")]
    [InlineData("100%/a#b?.js", "100%25/a%23b%3F.js")]
    [InlineData("naïve.txt", "na%C3%AFve.txt")]
    [InlineData("a:b/c:d", "a%3Ab/c:d")]
    [InlineData("/home/ci/my repo/.env", "file:///home/ci/my%20repo/.env")]
    [InlineData(@"C:\work\app.js", "file:///C:/work/app.js")]
    public void Artifact_uri_is_the_path_as_a_uri_reference(string path, string uri)
    {
        var written = PhysicalLocation(OnlyResult(Finding(path: path))).GetProperty("artifactLocation").GetProperty("uri").GetString();

        Assert.Equal(uri, written);
        Assert.True(Uri.IsWellFormedUriString(written, UriKind.RelativeOrAbsolute), $"'{written}' is not a well-formed URI reference");
    }

    [Theory]
    [InlineData("pkg.tgz!../../../etc/passwd", "pkg.tgz!etc/passwd")]
    [InlineData("dist/app.js.map!../../src/main.ts", "dist/app.js.map!src/main.ts")]
    [InlineData("dist/app.js.map!webpack:///./src/../../../../README.md", "dist/app.js.map!README.md")]
    [InlineData(@"pkg.zip!a\..\..\..\b.txt", "pkg.zip!b.txt")]
    [InlineData("outer.zip!inner.tgz!../../x.js", "outer.zip!inner.tgz!x.js")]
    [InlineData("pkg.tgz!package/./dist//cli.js", "pkg.tgz!package/dist/cli.js")]
    [InlineData("pkg.tgz!/..", "pkg.tgz!")]
    public void Odd_segments_in_member_names_cannot_move_a_result_out_of_its_archive(string path, string uri)
    {
        var written = PhysicalLocation(OnlyResult(Finding(path: path))).GetProperty("artifactLocation").GetProperty("uri").GetString()!;

        Assert.Equal(uri, written);
        // Resolved against a checkout as code scanning does, the result stays inside its archive.
        string archive = path.Replace('\\', '/')[..path.IndexOf('!', StringComparison.Ordinal)];
        Assert.StartsWith($"/repo/{archive}!", new Uri(new Uri("file:///repo/"), written).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_are_reported_as_notifications_of_the_run_not_as_results()
    {
        var report = Report([], warnings: [new ScanWarning("big.zip", "archive truncated")]);

        var run = Run(report);

        Assert.Empty(run.GetProperty("results").EnumerateArray());
        var notification = Assert.Single(Assert.Single(run.GetProperty("invocations").EnumerateArray().ToArray())
            .GetProperty("toolExecutionNotifications").EnumerateArray().ToArray());
        Assert.Equal("big.zip: archive truncated", notification.GetProperty("message").GetProperty("text").GetString());
    }
}
