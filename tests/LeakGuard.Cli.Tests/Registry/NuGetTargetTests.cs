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

    [Theory]
    [InlineData("Acme.Big", true, "bytes is more than the")] // refused on its Content-Length, before the body
    [InlineData("Acme.Big.Unsized", false, ": more than the")] // sent chunked: the download stops once past the limit
    public void A_package_larger_than_max_file_size_is_not_downloaded_whole(string id, bool announceSize, string reason)
    {
        byte[] nupkg = BigNupkg(id);
        packages.Feed.Add(id, "1.0.0", nupkg, announceSize);

        // Control: allowed, the same package is served whole and its token found, so the counting
        // below sees a download, and what it refuses is a package that would scan.
        long before = Served(id);
        var (allowed, findings) = ScanJsonWith($"nuget:{id}@1.0.0", "--max-file-size", "64MB");
        Assert.True(allowed.ExitCode == 1, allowed.Stderr);
        Assert.Equal($"{id}@1.0.0.nupkg!content/appsettings.json",
            Assert.Single(findings).GetProperty("location").GetProperty("path").GetString());
        Assert.Equal(nupkg.Length, Served(id) - before);

        before = Served(id);
        var run = Scan($"nuget:{id}@1.0.0", "--max-file-size", "1MB");
        long served = Served(id) - before;

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{id}@1.0.0.nupkg", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
        Assert.True(served < nupkg.Length, $"{served:N0} of the package's {nupkg.Length:N0} bytes were served");
    }

    private long Served(string id)
    {
        packages.Feed.WaitUntilIdle(TimeSpan.FromSeconds(30));
        return packages.Feed.BytesServed(id, "1.0.0");
    }

    private (CliRunner.Outcome Run, List<JsonElement> Findings) ScanJsonWith(string target, params string[] args)
    {
        string report = Path.Join(_dir, $"{Guid.NewGuid():N}.json");
        var run = Scan([target, "--format", "json", "--output", report, .. args]);
        Assert.True(File.Exists(report), run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return (run, [.. doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone())]);
    }

    /// <summary>A valid .nupkg of 32 MiB: a nuspec, an appsettings.json with a token, and 32 MiB of
    /// random bytes stored uncompressed. Loopback sockets buffered 4 to 8 MB between the feed and a
    /// client that stopped reading here, so a client that stops early is seen to, by a wide margin.</summary>
    private static byte[] BigNupkg(string id)
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Entry(string name, byte[] content)
            {
                using var stream = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.NoCompression).Open();
                stream.Write(content);
            }
            Entry($"{id}.nuspec", System.Text.Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{id}</id><version>1.0.0</version><authors>Acme</authors><description>big</description></metadata>
                </package>
                """));
            Entry("content/appsettings.json", System.Text.Encoding.UTF8.GetBytes($"{{ \"token\": \"{PublishedPackages.Token}\" }}\n"));
            var payload = new byte[32 << 20];
            new Random(18).NextBytes(payload);
            Entry("content/payload.bin", payload);
        }
        return buffer.ToArray();
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
