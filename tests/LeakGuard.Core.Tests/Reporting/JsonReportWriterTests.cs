using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Reporting;

public class JsonReportWriterTests
{
    private static JsonElement Document(ScanReport report) =>
        JsonDocument.Parse(Render(new JsonReportWriter(), report)).RootElement;

    private static JsonElement OnlyFinding(Finding finding) =>
        Assert.Single(Document(Report([finding])).GetProperty("findings").EnumerateArray().ToArray());

    [Fact]
    public void Document_names_tool_version_and_engine_as_strings()
    {
        var root = Document(Report([Finding()]));

        Assert.Equal("leakguard", root.GetProperty("tool").GetString());
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());
        Assert.Equal("hyperscan", root.GetProperty("engine").GetString());
    }

    [Fact]
    public void Stats_give_blobs_bytes_and_seconds_as_numbers()
    {
        var stats = Document(Report([])).GetProperty("stats");

        Assert.Equal(12, stats.GetProperty("blobs").GetInt64());
        Assert.Equal(ScannedBytes, stats.GetProperty("bytes").GetInt64());
        Assert.Equal(0.05, stats.GetProperty("seconds").GetDouble());
    }

    [Fact]
    public void Findings_is_an_array_with_one_object_per_finding()
    {
        var findings = Document(Report([Finding(line: 1), Finding(line: 2)])).GetProperty("findings");

        Assert.Equal(JsonValueKind.Array, findings.ValueKind);
        Assert.All(findings.EnumerateArray(), f => Assert.Equal(JsonValueKind.Object, f.ValueKind));
        Assert.Equal(2, findings.GetArrayLength());
    }

    [Fact]
    public void Finding_gives_rule_kind_severity_title_secret_and_fingerprint_as_strings()
    {
        var finding = Finding();

        var json = OnlyFinding(finding);

        Assert.Equal("github.classic-pat", json.GetProperty("ruleId").GetString());
        Assert.Equal("secret", json.GetProperty("kind").GetString());
        Assert.Equal("critical", json.GetProperty("severity").GetString());
        Assert.Equal(GitHubTokenTitle, json.GetProperty("title").GetString());
        Assert.Equal("ghp_…G5iK", json.GetProperty("secret").GetString());
        Assert.Equal(finding.Fingerprint, json.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void Location_gives_every_contract_field_when_known()
    {
        var plain = Finding(path: "pkg.tgz!package/dist/cli.js", line: 7, column: 12);
        var finding = plain with
        {
            Location = plain.Location with
            {
                Commit = "0123abcd",
                Author = "Ada <ada@example.com>",
                Date = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.FromHours(2)),
                Package = "left-pad",
                Version = "1.3.0",
            },
        };

        var location = OnlyFinding(finding).GetProperty("location");

        Assert.Equal("pkg.tgz!package/dist/cli.js", location.GetProperty("path").GetString());
        Assert.Equal(7, location.GetProperty("line").GetInt32());
        Assert.Equal(12, location.GetProperty("column").GetInt32());
        Assert.Equal("0123abcd", location.GetProperty("commit").GetString());
        Assert.Equal("Ada <ada@example.com>", location.GetProperty("author").GetString());
        Assert.Equal(finding.Location.Date, location.GetProperty("date").GetDateTimeOffset());
        Assert.Equal("left-pad", location.GetProperty("package").GetString());
        Assert.Equal("1.3.0", location.GetProperty("version").GetString());
    }

    [Fact]
    public void Location_fields_nobody_knew_are_present_as_null()
    {
        var location = OnlyFinding(Finding(line: null, column: null)).GetProperty("location");

        foreach (string field in new[] { "line", "column", "commit", "author", "date", "package", "version" })
        {
            Assert.True(location.TryGetProperty(field, out var value), $"location.{field} is missing");
            Assert.Equal(JsonValueKind.Null, value.ValueKind);
        }
    }

    [Fact]
    public void Finding_without_a_secret_has_a_null_secret()
    {
        var json = OnlyFinding(Finding(secret: null));

        Assert.Equal(JsonValueKind.Null, json.GetProperty("secret").ValueKind);
    }

    [Fact]
    public void Details_is_an_object_carrying_the_findings_details()
    {
        var json = OnlyFinding(Finding(details: new Dictionary<string, object?> { ["decoded"] = "base64" }));

        var details = json.GetProperty("details");
        Assert.Equal(JsonValueKind.Object, details.ValueKind);
        Assert.Equal("base64", details.GetProperty("decoded").GetString());
    }
}
