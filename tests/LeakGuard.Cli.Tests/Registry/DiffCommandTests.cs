using System.Text;
using System.Text.Json;

namespace LeakGuard.Cli.Tests.Registry;

[Collection(NpmRegistryCollection.Name)]
public class DiffCommandTests(PublishedPackages packages)
{
    private readonly string _dir = CliRunner.TempDirectory();

    private CliRunner.Outcome Diff(params string[] args) =>
        CliRunner.Run(["diff", .. TestRules.Options(_dir, TestRules.GitHub), "--registry", packages.Registry.Url, .. args]);

    private (CliRunner.Outcome Run, JsonElement Report) DiffJson(string old, string @new)
    {
        string report = Path.Join(_dir, $"{Guid.NewGuid():N}.json");
        var run = Diff(old, @new, "--format", "json", "--output", report);
        Assert.True(File.Exists(report), run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return (run, doc.RootElement.Clone());
    }

    private static List<string> Paths(JsonElement report, string change) =>
        [.. report.GetProperty("files").GetProperty(change).EnumerateArray().Select(c => c.GetProperty("path").GetString()!)];

    [Fact]
    public void A_version_that_adds_a_file_with_a_token_shows_the_file_and_the_new_finding()
    {
        var (run, report) = DiffJson("npm:@acme/widget@1.0.0", "npm:@acme/widget@1.1.0");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["package/lib/config.js"], Paths(report, "added"));
        var finding = Assert.Single(report.GetProperty("findings").EnumerateArray());
        Assert.Equal("test.github", finding.GetProperty("ruleId").GetString());
        Assert.Equal("1.1.0", finding.GetProperty("location").GetProperty("version").GetString());
    }

    [Fact]
    public void A_finding_both_versions_carry_is_not_new_though_the_paths_name_different_versions()
    {
        var (run, report) = DiffJson("npm:@acme/widget@1.1.0", "npm:@acme/widget@2.0.0");
        // The token is in both; what 2.0.0 adds is a source map that ships its TypeScript.
        Assert.Equal(1, run.ExitCode);
        var added = report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.DoesNotContain("test.github", added);
        Assert.Contains("leakguard.source-map-sources", added);
        var file = Assert.Single(report.GetProperty("files").GetProperty("added").EnumerateArray());
        Assert.Equal("package/dist/index.js.map", file.GetProperty("path").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(PublishedPackages.Map), file.GetProperty("newSize").GetInt64());
        Assert.Equal(JsonValueKind.Null, file.GetProperty("oldSize").ValueKind);
    }

    [Fact]
    public void Directories_are_compared_by_relative_path_in_text()
    {
        string old = Path.Join(_dir, "old");
        string @new = Path.Join(_dir, "new");
        Directory.CreateDirectory(old);
        Directory.CreateDirectory(@new);
        File.WriteAllText(Path.Join(old, "app.js"), "short\n");
        File.WriteAllText(Path.Join(old, "gone.txt"), "bye\n");
        File.WriteAllText(Path.Join(@new, "app.js"), "a good deal longer than before\n");
        File.WriteAllText(Path.Join(@new, "config.js"), $"token = \"{PublishedPackages.Token}\"\n");
        var run = Diff(old, @new);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("  + config.js  ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - gone.txt  4 B", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  ~ app.js  6 B -> 31 B", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("critical test.github", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("1 added, 1 removed, 1 grown, 1 new finding\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_side_that_names_several_versions_is_a_usage_error()
    {
        var run = Diff("npm:@acme/widget@1.0.0", "npm:@acme/widget@all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("matches 3 versions", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scanning_a_range_says_what_each_version_adds_over_the_one_before()
    {
        string report = Path.Join(_dir, "range.json");
        CliRunner.Run(["scan", .. TestRules.Options(_dir, TestRules.GitHub), "--registry", packages.Registry.Url, "--no-progress",
            "npm:@acme/widget@all", "--format", "json", "--output", report]);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        var notes = doc.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notes, n => n.StartsWith("@acme/widget 2.0.0 adds package/dist/index.js.map (", StringComparison.Ordinal)
            && n.EndsWith("; not in 1.1.0", StringComparison.Ordinal));
        Assert.Contains("@acme/widget 1.1.0: 1 finding not in 1.0.0", notes);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("ruleId").GetString() == "test.github").ToList();
        var first = findings.Single(f => f.GetProperty("location").GetProperty("version").GetString() == "1.1.0");
        Assert.Equal("1.0.0", first.GetProperty("details").GetProperty("newSince").GetString());
        var carried = findings.Single(f => f.GetProperty("location").GetProperty("version").GetString() == "2.0.0");
        Assert.False(carried.GetProperty("details").TryGetProperty("newSince", out _));
    }
}
