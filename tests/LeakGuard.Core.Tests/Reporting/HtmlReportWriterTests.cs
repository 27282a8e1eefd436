using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Reporting;

public partial class HtmlReportWriterTests
{
    private static string Html(IReadOnlyList<Finding> findings) => Render(new HtmlReportWriter(), Report(findings));

    [GeneratedRegex("""<tr data-severity="(\w+)"><td><span class="sev \w+">\w+</span></td><td class="n">([\d,]+)</td></tr>""")]
    private static partial Regex SeverityRow();

    [Fact]
    public void The_summary_counts_are_the_findings()
    {
        var findings = new[]
        {
            Finding(line: 1), Finding(line: 2), Finding(path: "b.js", severity: Severity.High, ruleId: "aws.access-key"),
            Finding(path: "c.js", severity: Severity.Low, ruleId: "generic.password"),
        };

        string html = Html(findings);

        var bySeverity = SeverityRow().Matches(html).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new Dictionary<string, int> { ["critical"] = 2, ["high"] = 1, ["medium"] = 0, ["low"] = 1, ["info"] = 0 }, bySeverity);
        Assert.Equal(4, Regex.Matches(html, "<tr data-severity=\"\\w+\" data-rule=").Count);
        Assert.Contains("<tr><td><code>github.classic-pat</code></td><td class=\"n\">2</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td><code>src/app.js</code></td><td class=\"n\">2</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<span id=\"total\">4</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_from_the_scanned_input_is_text()
    {
        string path = "pkg.tgz!<img src=x onerror=alert(1)>.js";
        var finding = Finding(path: path, title: "<script>alert(2)</script>",
            details: new Dictionary<string, object?> { ["examples"] = new[] { "</pre><b>bold</b>" } });

        string html = Html([finding]);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.js", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/pre&gt;&lt;b&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_loads_nothing_and_allows_only_its_own_script()
    {
        string html = Html([Finding(details: new Dictionary<string, object?> { ["referencedBy"] = "https://cdn.example.com/app.js" })]);

        Assert.DoesNotMatch("(?i)<(script|link|img|iframe)[^>]*\\s(src|href)\\s*=", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        var scripts = Regex.Matches(html, "<script>(.*?)</script>", RegexOptions.Singleline);
        string script = Assert.Single(scripts).Groups[1].Value;
        string hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        var csp = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">");
        Assert.True(csp.Success, "no Content-Security-Policy");
        Assert.Contains($"script-src 'sha256-{hash}'", System.Net.WebUtility.HtmlDecode(csp.Groups[1].Value), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", System.Net.WebUtility.HtmlDecode(csp.Groups[1].Value), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_finding_shows_its_redacted_secret()
    {
        string html = Html([Finding(secret: "ghp_…G5iK")]);

        Assert.Contains("<code>ghp_…G5iK</code>", html, StringComparison.Ordinal);
    }
}
