using System.Text.Json;
using LeakGuard.Core.Reporting;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Reporting;

public class JsonlReportWriterTests
{
    private static string[] Lines(ScanReport report) =>
        Render(new JsonlReportWriter(), report).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Writes_one_line_per_finding()
    {
        var lines = Lines(Report([Finding(line: 1), Finding(line: 2), Finding(path: "b.js")]));

        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Each_line_is_the_finding_object_of_the_json_contract()
    {
        var findings = new[] { Finding(line: 1), Finding(path: "b.js", secret: null) };
        var report = Report(findings);
        var contract = JsonDocument.Parse(Render(new JsonReportWriter(), report)).RootElement.GetProperty("findings");

        var lines = Lines(report);

        for (int i = 0; i < findings.Length; i++)
        {
            var line = JsonDocument.Parse(lines[i]).RootElement;
            Assert.True(JsonElement.DeepEquals(contract[i], line), $"line {i + 1} differs from the contract: {lines[i]}");
            Assert.Equal(findings[i].Fingerprint, line.GetProperty("fingerprint").GetString());
        }
    }

    [Fact]
    public void A_newline_inside_a_value_does_not_break_the_line()
    {
        var finding = Finding(details: new Dictionary<string, object?> { ["reason"] = "first\nsecond" });

        var line = Assert.Single(Lines(Report([finding])));

        Assert.Equal("first\nsecond", JsonDocument.Parse(line).RootElement.GetProperty("details").GetProperty("reason").GetString());
    }

    [Fact]
    public void Writes_nothing_when_there_are_no_findings()
    {
        Assert.Equal("", Render(new JsonlReportWriter(), Report([])));
    }
}
