using System.Net;
using System.Text.Json;

namespace LeakGuard.Cli.Tests.Registry;

public class NuGetTargetTests(PackedNuGetPackages packages) : IClassFixture<PackedNuGetPackages>
{
    private readonly string _dir = CliRunner.TempDirectory();

    private CliRunner.Outcome Scan(params string[] args) =>
        CliRunner.Run(["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--source", packages.Feed.IndexUrl, "--no-progress", .. args]);

    private List<JsonElement> Findings(string target)
    {
        string report = Path.Join(_dir, $"{Guid.NewGuid():N}.json");
        var run = Scan(target, "--format", "json", "--output", report);
        Assert.True(File.Exists(report), run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return [.. doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone())];
    }

    [Fact]
    public void A_version_is_fetched_from_the_flat_container_and_findings_carry_id_and_version()
    {
        var finding = Assert.Single(Findings("nuget:Acme.Client@1.1.0"));
        var location = finding.GetProperty("location");
        Assert.Equal("Acme.Client@1.1.0.nupkg!contentFiles/any/any/appsettings.json", location.GetProperty("path").GetString());
        Assert.Equal("Acme.Client", location.GetProperty("package").GetString());
        Assert.Equal("1.1.0", location.GetProperty("version").GetString());
    }

    [Fact]
    public void All_and_ranges_select_versions_from_the_version_list()
    {
        Assert.Empty(Findings("nuget:Acme.Client@<1.1.0"));
        Assert.Equal(["1.1.0"], Findings("nuget:Acme.Client@all").Select(f => f.GetProperty("location").GetProperty("version").GetString()));
        Assert.Equal(0, Scan("nuget:Acme.Client@1.0.0").ExitCode);
    }

    [Fact]
    public void Transient_failures_are_retried()
    {
        int before = packages.Feed.Requests;
        packages.Feed.FailNext(HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests);
        var run = Scan("nuget:Acme.Client@1.1.0");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal(before + 5, packages.Feed.Requests); // two failures, then index, version list, nupkg
    }

    [Fact]
    public void A_package_that_does_not_exist_exits_2_naming_it()
    {
        var run = Scan("nuget:Acme.Missing@1.0.0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NuGet package Acme.Missing does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_that_does_not_exist_exits_2_naming_it()
    {
        var run = Scan("nuget:Acme.Client@2.0.0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Acme.Client@2.0.0 does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_keeps_failing_exits_2_after_the_retries()
    {
        packages.Feed.FailNext(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 5).ToArray());
        var run = Scan("nuget:Acme.Client@1.1.0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("HTTP 503 ServiceUnavailable (after 4 retries)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_larger_than_max_file_size_is_not_downloaded_whole()
    {
        var run = Scan("nuget:Acme.Client@1.1.0", "--max-file-size", "1KB");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Acme.Client@1.1.0.nupkg", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("allowed", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_between_two_feed_versions_shows_the_grown_file_and_the_new_finding()
    {
        var run = CliRunner.Run(["diff", .. TestRules.Options(_dir, TestRules.GitHub), "--source", packages.Feed.IndexUrl,
            "nuget:Acme.Client@1.0.0", "nuget:Acme.Client@1.1.0"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("  ~ contentFiles/any/any/appsettings.json  ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("critical test.github Acme.Client@1.1.0.nupkg!contentFiles/any/any/appsettings.json:1:", run.Stdout, StringComparison.Ordinal);
    }
}
