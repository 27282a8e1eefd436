using LeakGuard.Sources.Web;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Cli.Tests.Web;

/// <summary>A site that misbehaves costs the crawl a bounded amount and one warning per thing
/// refused; the rest of the site is still fetched.</summary>
public class SiteCrawlerHostileTests
{
    private const string Page = """
        <!doctype html><html><head>
        <script src="/ok.js"></script>
        <script src="/trouble.js"></script>
        </head></html>
        """;

    private static (IReadOnlyList<SiteFile> Files, List<(string Path, string Message)> Warnings, long BytesRead) Crawl(TestSite site, WebLimits? limits = null, params string[] cdnHosts)
    {
        var warnings = new List<(string, string)>();
        var settings = new WebSettings { Limits = limits ?? new WebLimits(), CdnHosts = cdnHosts };
        var crawler = new SiteCrawler(WebTarget.TryParse("web:" + site.Url, out _)!, settings, (path, message) => { lock (warnings) { warnings.Add((path, message)); } });
        var files = crawler.Crawl();
        return (files, warnings, crawler.BytesRead);
    }

    private static TestSite SiteWithTrouble(RequestDelegate trouble)
    {
        var site = new TestSite();
        site.Add("/", Page, "text/html");
        site.Add("/ok.js", "console.log('fine');\n", "application/javascript");
        site.Handle("/trouble.js", trouble);
        return site;
    }

    private static void AssertRestFetched(IReadOnlyList<SiteFile> files) =>
        Assert.Equal(["index.html", "ok.js"], files.Select(f => f.Member));

    [Fact]
    public void A_redirect_loop_is_followed_a_bounded_number_of_times_with_one_warning()
    {
        using var site = SiteWithTrouble(context => { context.Response.Redirect("/loop"); return Task.CompletedTask; });
        site.Handle("/loop", context => { context.Response.Redirect("/trouble.js"); return Task.CompletedTask; });

        var (files, warnings, _) = Crawl(site, new WebLimits { MaxRedirects = 5 });

        AssertRestFetched(files);
        var warning = Assert.Single(warnings);
        Assert.EndsWith("/trouble.js", warning.Path, StringComparison.Ordinal);
        Assert.Contains("more than 5 redirects", warning.Message, StringComparison.Ordinal);
        Assert.Equal(6, site.Requests.Count(r => r.Path is "/trouble.js" or "/loop"));
    }

    [Fact]
    public void A_2_GB_response_is_cut_off_at_the_file_bound()
    {
        using var site = SiteWithTrouble(context => TestSite.StreamAsync(context, 2L * 1024 * 1024 * 1024));

        var (files, warnings, bytesRead) = Crawl(site, new WebLimits { MaxFileBytes = 8 * WebLimits.MiB });

        AssertRestFetched(files);
        var warning = Assert.Single(warnings);
        Assert.Contains("more than the 8,388,608 bytes allowed", warning.Message, StringComparison.Ordinal);
        // The bound, the read that crossed it (at most 80 KiB) and the page and ok.js: not 2 GB.
        Assert.InRange(bytesRead, 8 * WebLimits.MiB, 8 * WebLimits.MiB + 100 * 1024);
    }

    [Fact]
    public void A_server_that_does_not_answer_costs_one_request_timeout()
    {
        using var site = SiteWithTrouble(context => Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted));

        var (files, warnings, _) = Crawl(site, new WebLimits { RequestTimeout = TimeSpan.FromSeconds(1) });

        AssertRestFetched(files);
        var warning = Assert.Single(warnings);
        Assert.Equal("not fetched: no complete answer within 1 s", warning.Message);
    }

    [Fact]
    public void A_redirect_to_another_origin_is_not_followed_unless_its_host_is_listed()
    {
        using var other = new TestSite();
        other.Add("/moved.js", "console.log('moved');\n", "application/javascript");
        string moved = other.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "moved.js";
        using var site = SiteWithTrouble(context => { context.Response.Redirect(moved); return Task.CompletedTask; });

        var (files, warnings, _) = Crawl(site);

        AssertRestFetched(files);
        Assert.Contains("which is not in scope", Assert.Single(warnings).Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);

        var (listed, none, _) = Crawl(site, null, "localhost");
        // The file keeps the name it has on the host that served it.
        Assert.Contains(listed, f => f.Member == $"localhost:{new Uri(other.Url).Port}/moved.js");
        Assert.Empty(none);
    }

    [Fact]
    public void A_site_naming_more_files_than_the_cap_is_cut_off_with_one_warning()
    {
        using var site = new TestSite();
        site.Add("/", string.Concat(Enumerable.Range(0, 50).Select(i => $"<script src=\"/chunk{i}.js\"></script>\n")), "text/html");
        for (int i = 0; i < 50; i++)
        {
            site.Add($"/chunk{i}.js", $"console.log({i});\n", "application/javascript");
        }

        var (files, warnings, _) = Crawl(site, new WebLimits { MaxFiles = 10 });

        Assert.True(site.Requests.Count <= 10, $"{site.Requests.Count} requests");
        Assert.Contains("index.html", files.Select(f => f.Member));
        Assert.Contains("crawl stopped at 10 files", Assert.Single(warnings).Message, StringComparison.Ordinal);
    }
}
