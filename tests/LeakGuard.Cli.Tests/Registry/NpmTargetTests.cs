using System.Text.Json;

namespace LeakGuard.Cli.Tests.Registry;

[Collection(NpmRegistryCollection.Name)]
public class NpmTargetTests(PublishedPackages packages)
{
    private readonly string _dir = CliRunner.TempDirectory();

    private CliRunner.Outcome Scan(params string[] args)
    {
        return CliRunner.Run(["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--registry", packages.Registry.Url, "--no-progress", .. args]);
    }

    private (CliRunner.Outcome Run, List<JsonElement> Findings) ScanJson(string target, params string[] options)
    {
        string report = Path.Join(_dir, $"{Guid.NewGuid():N}.json");
        var run = Scan([target, .. options, "--format", "json", "--output", report]);
        Assert.True(File.Exists(report), run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return (run, doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone()).ToList());
    }

    private static string VersionOf(JsonElement finding) => finding.GetProperty("location").GetProperty("version").GetString()!;

    [Fact]
    public void A_published_version_is_downloaded_and_its_findings_carry_package_and_version()
    {
        var (run, findings) = ScanJson("npm:@acme/widget@1.1.0");
        Assert.Equal(1, run.ExitCode);
        var finding = Assert.Single(findings);
        var location = finding.GetProperty("location");
        Assert.Equal("@acme/widget@1.1.0.tgz!package/lib/config.js", location.GetProperty("path").GetString());
        Assert.Equal("@acme/widget", location.GetProperty("package").GetString());
        Assert.Equal("1.1.0", location.GetProperty("version").GetString());
    }

    [Fact]
    public void Exclude_and_the_config_files_exclude_apply_to_package_members()
    {
        Assert.Empty(ScanJson("npm:@acme/widget@1.1.0", "--exclude", "package/lib/**").Findings);
        string config = Path.Join(_dir, "scan.yaml");
        File.WriteAllText(config, "exclude: ['**/config.js']\n");
        Assert.Empty(ScanJson("npm:@acme/widget@1.1.0", "--config", config).Findings);
        Assert.Single(ScanJson("npm:@acme/widget@1.1.0", "--include", "package/lib/**").Findings);
    }

    [Fact]
    public void A_clean_version_exits_0()
    {
        var run = Scan("npm:@acme/widget@1.0.0");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void A_semver_range_scans_only_the_versions_it_matches()
    {
        var (_, caret) = ScanJson("npm:@acme/widget@^1.0.0");
        Assert.Equal(["1.1.0"], caret.Select(VersionOf).Distinct());
        var (_, atLeast) = ScanJson("npm:@acme/widget@>=1.1.0");
        Assert.Equal(["1.1.0", "2.0.0"], atLeast.Select(VersionOf).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void All_scans_every_published_version()
    {
        var run = Scan("npm:@acme/widget@all", "--format", "text");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("@acme/widget@1.1.0.tgz!package/lib/config.js", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("@acme/widget@2.0.0.tgz!package/lib/config.js", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_version_the_latest_tag_is_scanned()
    {
        var (_, findings) = ScanJson("npm:@acme/widget");
        Assert.Equal(["2.0.0"], findings.Select(VersionOf).Distinct());
    }

    [Fact]
    public void A_package_that_does_not_exist_exits_2_naming_it()
    {
        var run = Scan("npm:@acme/missing@1.0.0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("@acme/missing does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_that_does_not_exist_exits_2_naming_it()
    {
        var run = Scan("npm:@acme/widget@9.9.9");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("@acme/widget@9.9.9 does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_no_version_matches_exits_2()
    {
        var run = Scan("npm:@acme/widget@^3.0.0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no version of @acme/widget", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tarball_that_does_not_match_its_integrity_is_not_scanned_and_says_why()
    {
        // Controls: the tampered bytes still hold the token where a scan finds it (scanned as a
        // file), and so does the untampered 1.0.1 with the same files (scanned from the registry).
        // So an empty report below is the integrity check's doing, not an absent secret.
        string tampered = Path.Join(_dir, "tampered-1.0.0.tgz");
        File.Copy(packages.Registry.StoredTarball("@acme", "tampered", "1.0.0"), tampered);
        var direct = CliRunner.Run(["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--no-progress", tampered]);
        Assert.True(direct.ExitCode == 1, direct.Stdout + direct.Stderr);
        Assert.Contains("tampered-1.0.0.tgz!package/lib/config.js", direct.Stdout, StringComparison.Ordinal);
        var (_, twin) = ScanJson("npm:@acme/tampered@1.0.1");
        Assert.Equal("@acme/tampered@1.0.1.tgz!package/lib/config.js",
            Assert.Single(twin).GetProperty("location").GetProperty("path").GetString());

        var (run, findings) = ScanJson("npm:@acme/tampered@1.0.0");

        Assert.Empty(findings);
        Assert.Contains("@acme/tampered@1.0.0.tgz", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("sha512 integrity mismatch", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registry_and_token_come_from_the_users_npmrc()
    {
        var run = CliRunner.RunWithEnvironment(
            new Dictionary<string, string> { ["NPM_CONFIG_USERCONFIG"] = packages.PrivateUserConfig, ["LEAKGUARD_TEST_TOKEN"] = packages.PrivateToken },
            ["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--no-progress", "npm:@private/thing@1.0.0"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("@private/thing@1.0.0.tgz!package/lib/config.js", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejected_token_exits_2_and_is_never_printed()
    {
        const string Wrong = "not-a-token-verdaccio-issued";
        var run = CliRunner.RunWithEnvironment(
            new Dictionary<string, string> { ["NPM_CONFIG_USERCONFIG"] = packages.PrivateUserConfig, ["LEAKGUARD_TEST_TOKEN"] = Wrong },
            ["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--no-progress", "npm:@private/thing@1.0.0"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("credentials missing or rejected", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npm:@acme/missing@1.0.0")]
    [InlineData("npm:@acme/widget@9.9.9")]
    [InlineData("npm:@acme/widget@^3.0.0")]
    public void Credentials_in_the_registry_option_are_never_printed(string target)
    {
        var run = CliRunner.Run(["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--no-progress", "--registry", WithCredentials(packages.Registry.Url), target]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"on {packages.Registry.Url}", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2Secret", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_in_the_npmrc_registry_are_never_printed()
    {
        string npmrc = Path.Join(_dir, "credentials.npmrc");
        File.WriteAllText(npmrc, $"registry={WithCredentials(packages.Registry.Url)}\n");

        var run = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["NPM_CONFIG_USERCONFIG"] = npmrc },
            ["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--no-progress", "npm:@acme/missing@1.0.0"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"does not exist on {packages.Registry.Url}", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2Secret", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    private static string WithCredentials(string url) => url.Replace("http://", "http://ci:Hunter2Secret@", StringComparison.Ordinal);
}
