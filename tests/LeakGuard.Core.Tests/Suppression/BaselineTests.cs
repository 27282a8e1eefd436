using System.Text;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Suppression;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Suppression;

public sealed class BaselineTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("leakguard-baseline-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static Baseline Parse(string json) =>
        Baseline.Parse("old-report.json", new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Holds_the_fingerprints_of_a_report_written_by_leakguard()
    {
        var findings = new[] { Finding(path: "a.env"), Finding(path: "b.env", secret: null) };
        string report = Render(new JsonReportWriter(), Report(findings));

        var baseline = Parse(report);

        Assert.Equal(2, baseline.Count);
        Assert.All(findings, f => Assert.True(baseline.Contains(f.Fingerprint)));
    }

    [Fact]
    public void Does_not_hold_a_fingerprint_the_report_did_not_have()
    {
        var baseline = Parse(Render(new JsonReportWriter(), Report([Finding(path: "a.env")])));

        Assert.False(baseline.Contains(Finding(path: "elsewhere.env").Fingerprint));
    }

    [Fact]
    public void A_report_without_findings_is_an_empty_baseline()
    {
        var baseline = Parse(Render(new JsonReportWriter(), Report([])));

        Assert.Equal(0, baseline.Count);
    }

    [Fact]
    public void A_file_that_is_not_json_is_an_error_naming_it()
    {
        var error = Assert.Throws<SuppressionFileException>(() => Parse("ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK\n"));

        Assert.StartsWith("old-report.json: not a LeakGuard JSON report", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"Fingerprint": "0123456789abcdef0123456789abcdef"}]""")]
    [InlineData("""{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}""")]
    [InlineData("""{"tool": "leakguard", "findings": {}}""")]
    [InlineData("""{"findings": []}""")]
    public void Json_that_is_not_a_leakguard_report_is_an_error_naming_the_file(string json)
    {
        var error = Assert.Throws<SuppressionFileException>(() => Parse(json));

        Assert.StartsWith("old-report.json: not a LeakGuard JSON report", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ruleId": "x"}""")]
    [InlineData("""{"fingerprint": null}""")]
    [InlineData("""{"fingerprint": "not-a-fingerprint"}""")]
    [InlineData("\"0123456789abcdef0123456789abcdef\"")]
    public void A_finding_without_a_valid_fingerprint_is_an_error_naming_it(string finding)
    {
        var error = Assert.Throws<SuppressionFileException>(() => Parse($$"""{"tool": "leakguard", "findings": [{{finding}}]}"""));

        Assert.Contains("findings[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_the_report_from_disk()
    {
        var finding = Finding();
        string path = Path.Combine(_directory.FullName, "baseline.json");
        File.WriteAllText(path, Render(new JsonReportWriter(), Report([finding])));

        var baseline = Baseline.Load(path);

        Assert.True(baseline.Contains(finding.Fingerprint));
        Assert.Equal(path, baseline.Path);
    }

    [Fact]
    public void Load_of_a_missing_file_is_an_error_naming_it()
    {
        string path = Path.Combine(_directory.FullName, "missing.json");

        var error = Assert.Throws<SuppressionFileException>(() => Baseline.Load(path));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
    }
}
