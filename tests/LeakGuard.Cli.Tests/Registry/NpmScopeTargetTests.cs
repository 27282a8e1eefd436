using System.Text.Json;

namespace LeakGuard.Cli.Tests.Registry;

[Collection(NpmScopeCollection.Name)]
public class NpmScopeTargetTests(ScopePackages packages)
{
    private readonly string _dir = CliRunner.TempDirectory();

    private CliRunner.Outcome Scan(params string[] args) =>
        CliRunner.Run(["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--registry", packages.Registry.Url, "--no-progress", .. args]);

    /// <summary>The scan's JSON report: exit code, the paths of the findings, warnings as "path: message".</summary>
    private (int ExitCode, List<string> Findings, List<string> Warnings) ScanJson(string target)
    {
        string report = Path.Join(_dir, $"{Guid.NewGuid():N}.json");
        var run = Scan(target, "--format", "json", "--output", report);
        Assert.True(File.Exists(report), run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("location").GetProperty("path").GetString()!)
            .Order(StringComparer.Ordinal).ToList();
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray()
            .Select(w => $"{w.GetProperty("path").GetString()}: {w.GetProperty("message").GetString()}").ToList();
        return (run.ExitCode, findings, warnings);
    }

    [Fact]
    public void A_whole_scope_scans_the_latest_of_each_of_its_packages_and_nothing_outside_it()
    {
        var (exit, findings, warnings) = ScanJson("npm:@acme/*");

        Assert.Equal(1, exit);
        Assert.Equal(["@acme/alpha@2.0.0.tgz!package/lib/config.js", "@acme/beta@1.0.0.tgz!package/lib/config.js"], findings);
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_whole_scope_at_all_scans_every_version_of_every_package()
    {
        var (exit, findings, _) = ScanJson("npm:@acme/*@all");

        Assert.Equal(1, exit);
        Assert.Equal(
            ["@acme/alpha@1.0.0.tgz!package/lib/old.js", "@acme/alpha@2.0.0.tgz!package/lib/config.js", "@acme/beta@1.0.0.tgz!package/lib/config.js"],
            findings);
    }

    [Fact]
    public void A_scope_package_with_no_version_in_the_range_is_skipped_with_a_warning()
    {
        var (exit, findings, warnings) = ScanJson("npm:@acme/*@^2.0.0");

        Assert.Equal(1, exit);
        Assert.Equal(["@acme/alpha@2.0.0.tgz!package/lib/config.js"], findings);
        var warning = Assert.Single(warnings);
        Assert.StartsWith("@acme/beta: not scanned: no version of @acme/beta", warning, StringComparison.Ordinal);
        Assert.Contains("'^2.0.0'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_none_of_whose_packages_matches_the_range_exits_2()
    {
        var run = Scan("npm:@acme/*@^9.0.0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"no package of @acme on {packages.Registry.Url} has a version matching '^9.0.0'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_without_packages_exits_2_naming_scope_and_registry()
    {
        var run = Scan("npm:@nobody/*");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"npm scope @nobody has no packages on {packages.Registry.Url}", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void A_private_scope_is_listed_from_its_npmrc_registry_with_the_token()
    {
        // The default registry is a closed port: only @private:registry= leads to the packages.
        string scopeRegistry = $"registry=http://127.0.0.1:9/\n@private:registry={packages.Registry.Url}\n";
        string withToken = Path.Join(_dir, "npmrc-token");
        File.WriteAllText(withToken, scopeRegistry + $"//{new Uri(packages.Registry.Url).Authority}/:_authToken=${{LEAKGUARD_TEST_TOKEN}}\n");
        string anonymous = Path.Join(_dir, "npmrc-anonymous");
        File.WriteAllText(anonymous, scopeRegistry);
        string[] args = ["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--no-progress", "--format", "text", "npm:@private/*"];

        var listed = CliRunner.RunWithEnvironment(
            new Dictionary<string, string> { ["NPM_CONFIG_USERCONFIG"] = withToken, ["LEAKGUARD_TEST_TOKEN"] = packages.PrivateToken }, args);
        var hidden = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["NPM_CONFIG_USERCONFIG"] = anonymous }, args);

        Assert.Equal(1, listed.ExitCode);
        Assert.Contains("@private/thing@1.0.0.tgz!package/lib/config.js", listed.Stdout, StringComparison.Ordinal);
        // Verdaccio's search leaves out what the caller may not read.
        Assert.Equal(2, hidden.ExitCode);
        Assert.Contains($"npm scope @private has no packages on {packages.Registry.Url}", hidden.Stderr, StringComparison.Ordinal);
    }
}
