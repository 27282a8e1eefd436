using System.Xml.Linq;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Reporting;

public class JUnitReportWriterTests
{
    private static XDocument Junit(IReadOnlyList<Finding> findings, Severity failOn = Severity.Medium) =>
        XDocument.Parse(Render(new JUnitReportWriter(failOn), Report(findings)));

    [Fact]
    public void One_suite_per_rule_one_case_per_finding_and_failures_at_or_above_fail_on()
    {
        var doc = Junit([
            Finding(line: 1),
            Finding(path: "b.js", severity: Severity.Low),
            Finding(ruleId: "aws.access-key", severity: Severity.High, path: "c.env", line: 7),
        ], failOn: Severity.High);

        var root = doc.Root!;
        Assert.Equal(("testsuites", "3", "2"), (root.Name.LocalName, (string?)root.Attribute("tests"), (string?)root.Attribute("failures")));
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(["aws.access-key", "github.classic-pat"], suites.Select(s => (string?)s.Attribute("name")));
        var github = suites[1];
        Assert.Equal(("2", "1"), ((string?)github.Attribute("tests"), (string?)github.Attribute("failures")));
        var cases = github.Elements("testcase").ToList();
        Assert.Equal(["src/app.js:1", "b.js:3"], cases.Select(c => (string?)c.Attribute("name")));
        Assert.NotNull(cases[0].Element("failure"));
        Assert.Null(cases[1].Element("failure"));
        Assert.Contains("ghp_…G5iK", cases[0].Element("failure")!.Value, StringComparison.Ordinal);
        Assert.Equal("c.env", (string?)suites[0].Element("testcase")!.Attribute("file"));
    }

    [Fact]
    public void No_findings_is_one_passing_case()
    {
        var root = Junit([]).Root!;

        Assert.Equal(("1", "0"), ((string?)root.Attribute("tests"), (string?)root.Attribute("failures")));
        Assert.Null(root.Descendants("failure").FirstOrDefault());
        Assert.Single(root.Descendants("testcase"));
    }

    [Fact]
    public void Markup_and_control_characters_from_the_input_stay_text()
    {
        string path = "<img src=x onerror=alert(1)>\u0001\u001b[2J.js";

        var testCase = Junit([Finding(path: path)]).Root!.Descendants("testcase").Single();

        Assert.Equal("<img src=x onerror=alert(1)>\\u0001\\u001b[2J.js", (string?)testCase.Attribute("file"));
        Assert.DoesNotContain(testCase.Descendants(), e => e.Name.LocalName == "img");
    }
}
