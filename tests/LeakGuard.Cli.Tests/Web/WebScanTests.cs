using System.Text.Json;

namespace LeakGuard.Cli.Tests.Web;

/// <summary>`leakguard scan web:URL` against a real esbuild build served by Kestrel on 127.0.0.1,
/// with a second Kestrel as the site's CDN (another origin).</summary>
public class WebScanTests
{
    private static (JsonElement Report, CliRunner.Outcome Outcome) Scan(TestSite site, IReadOnlyDictionary<string, string>? environment, params string[] options)
    {
        string report = Path.Join(CliRunner.TempDirectory(), "report.json");
        var outcome = CliRunner.RunWithEnvironment(environment ?? new Dictionary<string, string>(),
            ["scan", "web:" + site.Url, "--format", "json", "--output", report, "--no-progress", .. options]);
        Assert.True(File.Exists(report), outcome.Stderr);
        return (JsonDocument.Parse(File.ReadAllText(report)).RootElement, outcome);
    }

    private static List<JsonElement> Findings(JsonElement report, string rule) =>
        [.. report.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("ruleId").GetString() == rule)];

    private static string PathOf(JsonElement finding) => finding.GetProperty("location").GetProperty("path").GetString()!;

    private static string Severity(JsonElement finding) => finding.GetProperty("severity").GetString()!;

    /// <summary>The build on one site, loading a script (with a token) from a second site named
    /// <c>localhost</c>: another origin.</summary>
    private static (TestSite Site, TestSite Cdn) DeployWithCdn()
    {
        var site = new TestSite();
        var cdn = new TestSite();
        cdn.Add("/lib.js", $"window.cdnToken = \"{SiteBuild.Token}\";\n", "application/javascript");
        SiteBuild.Deploy(site, cdn.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        return (site, cdn);
    }

    [Fact]
    public void Every_map_the_site_serves_is_found_and_first_party_maps_are_critical()
    {
        var (site, cdn) = DeployWithCdn();
        using var _ = site;
        using var __ = cdn;

        var (report, outcome) = Scan(site, null);

        Assert.Equal(1, outcome.ExitCode);
        string root = "web:" + site.Url + "!";
        var maps = Findings(report, "leakguard.source-map-sources").ToDictionary(f => PathOf(f)[root.Length..], f => f);
        // The comment, the stripped comment (asked for as <asset>.map), the SourceMap header, the chunk only the build manifest names.
        Assert.Equal(["assets/widget.5d1e.js.map", "private-maps/app.js.map", "static/js/admin.9c1b.js.map", "static/js/main.3f2a.js.map"], maps.Keys.Order(StringComparer.Ordinal));
        Assert.All(maps.Values, f => Assert.Equal("critical", Severity(f)));
        Assert.Equal(3, maps["static/js/main.3f2a.js.map"].GetProperty("details").GetProperty("embeddedSources").GetInt32());
        Assert.StartsWith("not open source: code a site serves is first-party", maps["static/js/main.3f2a.js.map"].GetProperty("details").GetProperty("licenseVerdict").GetString(), StringComparison.Ordinal);

        // A map without sources still gives away names and structure.
        var namesOnly = Assert.Single(Findings(report, "leakguard.map-in-closed-package"));
        Assert.Equal(root + "static/js/names.77aa.js.map", PathOf(namesOnly));

        // The token baked into the bundle, located by the URL's path in the site.
        Assert.Contains(Findings(report, "github.pat"), f => PathOf(f) == root + "static/js/main.3f2a.js");

        // The CDN is another origin: not fetched, one warning naming it.
        Assert.Empty(cdn.Requests);
        int cdnPort = new Uri(cdn.Url).Port;
        Assert.Single(report.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("message").GetString()!.Contains($"localhost:{cdnPort}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_browser_key_a_site_serves_is_low_and_the_same_key_in_a_file_is_not()
    {
        const string Key = "AIzaSyB4x9Qm2LcT7vKp0RwZ8nJ5hYd3Fs6Ge1U";
        string script = $"window.mapsKey = \"{Key}\";\n";
        using var site = new TestSite();
        site.Add("/", "<!doctype html><script src=\"/maps.js\"></script>", "text/html");
        site.Add("/maps.js", script, "application/javascript");
        string file = Path.Join(CliRunner.TempDirectory(), "server-config.js");
        File.WriteAllText(file, script);

        var (report, _) = Scan(site, null);
        var served = Assert.Single(Findings(report, "gcp.api-key"));
        var inFile = CliRunner.Run(["scan", file, "--format", "json", "--no-progress"]);

        Assert.Equal("low", Severity(served));
        Assert.True(served.GetProperty("details").TryGetProperty("publicInBrowser", out _));
        using var fileReport = JsonDocument.Parse(inFile.Stdout);
        Assert.Equal("high", Severity(Assert.Single(Findings(fileReport.RootElement, "gcp.api-key"))));
    }

    [Fact]
    public void A_listed_cdn_is_fetched_without_the_login_cookie_and_an_open_source_site_s_maps_are_low()
    {
        var (site, cdn) = DeployWithCdn();
        using var _ = site;
        using var __ = cdn;

        var (report, _) = Scan(site, new Dictionary<string, string> { ["LEAKGUARD_WEB_COOKIE"] = "session=s3cr3t" },
            "--web-cdn", "localhost", "--web-open-source", "127.0.0.1");

        Assert.All(Findings(report, "leakguard.source-map-sources"), f => Assert.Equal("low", Severity(f)));
        Assert.Empty(Findings(report, "leakguard.map-in-closed-package"));
        int port = new Uri(cdn.Url).Port;
        Assert.Contains(Findings(report, "github.pat"), f => PathOf(f) == $"web:{site.Url}!localhost:{port}/lib.js");
        Assert.All(site.Requests, r => Assert.Equal("session=s3cr3t", r.Cookie));
        Assert.Contains(cdn.Requests, r => r.Path == "/lib.js");
        Assert.All(cdn.Requests, r => Assert.Null(r.Cookie));
    }

    [Fact]
    public void Diff_of_two_deploys_names_the_map_the_new_one_serves()
    {
        using var staging = new TestSite();
        using var production = new TestSite();
        foreach (var (site, scripts) in new[] { (production, new[] { "assets/widget.5d1e.js" }), (staging, new[] { "assets/widget.5d1e.js", "static/js/admin.9c1b.js" }) })
        {
            site.Add("/", "<!doctype html>" + string.Concat(scripts.Select(s => $"<script src=\"/{s}\"></script>")), "text/html");
            foreach (string script in scripts)
            {
                site.Add("/" + script, File.ReadAllBytes(Path.Join(SiteBuild.Output, script)), "application/javascript");
            }
        }
        staging.Add("/static/js/admin.9c1b.js.map", File.ReadAllBytes(Path.Join(SiteBuild.Output, "static/js/admin.9c1b.js.map")), "application/json");

        var outcome = CliRunner.Run("diff", "web:" + production.Url, "web:" + staging.Url);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Matches(@"\+ static/js/admin\.9c1b\.js\.map  \d+ B, 1 embedded file", outcome.Stdout);
        Assert.Contains($"critical leakguard.source-map-sources web:{staging.Url}!static/js/admin.9c1b.js.map", outcome.Stdout, StringComparison.Ordinal);
    }
}
