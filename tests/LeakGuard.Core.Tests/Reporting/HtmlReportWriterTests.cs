using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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

    private static Finding Exposure(IReadOnlyDictionary<string, object?> details) =>
        Finding(path: "Acme.pdb", ruleId: "leakguard.pdb-embedded-sources", kind: FindingKind.Exposure, line: null, secret: null, details: details);

    private static Dictionary<string, object?> PdbDetails() => new()
    {
        ["embeddedSources"] = 40,
        ["firstParty"] = 30,
        ["thirdParty"] = 4,
        ["generated"] = 6,
        ["sources"] = Sources(
            firstParty: ["/home/alice/acme/src/Acme/Settings.cs", "/home/alice/acme/src/Acme/Api/Client.cs"],
            thirdParty: ["/home/alice/.nuget/packages/polyfill/1.0.0/contentFiles/cs/any/Polyfill.cs"],
            generated: ["/home/alice/acme/src/Acme/obj/Debug/net10.0/Acme.AssemblyInfo.cs"]),
    };

    private static Dictionary<string, object?> Sources(string[] firstParty, string[]? thirdParty = null, string[]? generated = null) => new()
    {
        ["firstParty"] = firstParty, ["thirdParty"] = thirdParty ?? [], ["generated"] = generated ?? [],
    };

    private static string Tree(string html) => Regex.Match(html, "<ul class=\"tree\">.*?</ul>(?=<p class=\"muted\">|</details><details><summary>\\d+ fields)").Value;

    [Fact]
    public void An_exposure_shows_its_paths_as_a_tree_marked_by_class()
    {
        string html = Html([Exposure(PdbDetails())]);

        Assert.Contains("<summary>source tree: 4 of 40 embedded sources listed</summary>", html, StringComparison.Ordinal);
        Assert.Contains("<p>40 embedded sources: <span class=\"src first-party\">first-party</span> 30, "
            + "<span class=\"src third-party\">third-party</span> 4, <span class=\"src generated\">generated</span> 6</p>", html, StringComparison.Ordinal);
        // Folders that hold one folder each are one row; folders before files, each in ordinal order.
        Assert.Equal(
            "<ul class=\"tree\"><li><details open><summary><code>home/alice/</code> <span class=\"muted\">4</span></summary><ul>"
            + "<li><details open><summary><code>.nuget/packages/polyfill/1.0.0/contentFiles/cs/any/</code> <span class=\"muted\">1</span></summary><ul>"
            + "<li><code>Polyfill.cs</code> <span class=\"src third-party\">third-party</span></li></ul></details></li>"
            + "<li><details open><summary><code>acme/src/Acme/</code> <span class=\"muted\">3</span></summary><ul>"
            + "<li><details open><summary><code>Api/</code> <span class=\"muted\">1</span></summary><ul>"
            + "<li><code>Client.cs</code> <span class=\"src first-party\">first-party</span></li></ul></details></li>"
            + "<li><details open><summary><code>obj/Debug/net10.0/</code> <span class=\"muted\">1</span></summary><ul>"
            + "<li><code>Acme.AssemblyInfo.cs</code> <span class=\"src generated\">generated</span></li></ul></details></li>"
            + "<li><code>Settings.cs</code> <span class=\"src first-party\">first-party</span></li></ul></details></li>"
            + "</ul></details></li></ul>",
            Tree(html));
        Assert.Contains("<p class=\"muted\">36 more not listed (28 first-party, 3 third-party, 5 generated): "
            + "a finding lists at most 2,000 paths.</p>", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<script"));
    }

    [Fact]
    public void Only_exposures_with_embedded_sources_have_a_tree()
    {
        string html = Html([Finding(), Exposure(new Dictionary<string, object?> { ["license"] = "UNLICENSED" })]);

        Assert.DoesNotContain("class=\"tree\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_in_an_embedded_path_is_text()
    {
        var details = new Dictionary<string, object?>
        {
            ["embeddedSources"] = 2,
            ["firstParty"] = 2,
            ["sources"] = Sources(firstParty: ["src/<img src=x onerror=alert(1)>.ts", "<script>alert(2)</script>/x.ts"]),
        };

        string html = Html([Exposure(details)]);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("<li><code>&lt;img src=x onerror=alert(1)&gt;.ts</code> <span class=\"src first-party\">first-party</span></li>", html, StringComparison.Ordinal);
        Assert.Contains("<summary><code>&lt;script&gt;alert(2)&lt;/script&gt;/</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tree_is_bounded_and_says_how_many_paths_it_left_out()
    {
        const int paths = 3000;
        var details = new Dictionary<string, object?>
        {
            ["embeddedSources"] = paths,
            ["firstParty"] = paths,
            ["sources"] = Sources(firstParty: [.. Enumerable.Range(0, paths).Select(i => $"src/f{i:D4}.ts")]),
        };

        string html = Html([Exposure(details)]);

        // One folder, src/, and as many files as the rest of the budget holds.
        int files = HtmlReportWriter.TreeNodes - 1;
        Assert.Equal(files, Regex.Matches(html, "<li><code>f\\d{4}\\.ts</code>").Count);
        Assert.Contains($"<summary><code>src/</code> <span class=\"muted\">{files:N0}</span></summary>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<details open>", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"muted\">{paths - files:N0} more paths left out: the tree shows at most {HtmlReportWriter.TreeNodes:N0} folders and files.</p>", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"muted\">{paths - files:N0} more not listed ({paths - files:N0} first-party)", html, StringComparison.Ordinal);
    }
}
