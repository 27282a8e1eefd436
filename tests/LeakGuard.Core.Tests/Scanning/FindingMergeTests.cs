using System.Text;
using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Scanning;

public sealed class FindingMergeTests : IDisposable
{
    private readonly string _dir = CoreTestKit.TempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rules_matching_the_same_secret_are_one_finding_of_the_most_specific_rule()
    {
        using var session = ScanSession.Open(new ScanSettings { Engine = EngineKind.Managed, CacheDirectory = _dir });

        var findings = session.Scan([SourceItem.InMemory(new Blob
        {
            Path = "src/maps.js",
            Content = "const GOOGLE_MAPS_API_KEY = 'AIzaSyDk3vQ8mZx2LpT7wRb9NcF4hJs6GtYe1Ua';\n"u8.ToArray(),
        })]).Result.Findings;

        var finding = Assert.Single(findings);
        Assert.Equal("gcp.api-key", finding.RuleId);
        Assert.Equal(["generic.key-quoted", "generic.secret-quoted"], Assert.IsType<List<string>>(finding.Details["alsoMatched"]));
    }

    [Fact]
    public void The_same_secret_in_a_bundle_and_in_the_map_that_embeds_it_is_one_finding_with_its_locations()
    {
        string package = Directory.CreateDirectory(Path.Join(_dir, "package", "dist")).Parent!.FullName;
        string line = $"export const token = \"{CoreTestKit.GitHubToken}\";";
        File.WriteAllText(Path.Join(package, "dist", "cli.js"), line + "\n//# sourceMappingURL=cli.js.map\n");
        File.WriteAllText(Path.Join(package, "dist", "cli.js.map"), JsonSerializer.Serialize(new
        {
            version = 3,
            file = "cli.js",
            sources = new[] { "../src/cli.ts", "../src/other.ts" },
            sourcesContent = new[] { line + "\n", "// " + line + "\n" },
            mappings = "AAAA",
        }));
        CoreTestKit.Run(_dir, "tar", "czf", "pkg.tgz", "package");

        using var session = TestRulesSession();
        string tgz = Path.Join(_dir, "pkg.tgz");

        var result = session.Scan([new SourceItem { Path = "pkg.tgz", Open = () => File.OpenRead(tgz) }]).Result;

        var finding = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.Equal("pkg.tgz!package/dist/cli.js", finding.Location.Path);
        var locations = Assert.IsType<Dictionary<string, object?>>(finding.Details["locations"]);
        Assert.Equal(3, locations["count"]);
        Assert.Equal(["pkg.tgz!package/dist/cli.js.map!../src/cli.ts:1", "pkg.tgz!package/dist/cli.js.map!../src/other.ts:1"],
            Assert.IsType<List<string>>(locations["others"]));
    }

    [Fact]
    public void Each_line_of_a_file_holding_a_secret_is_a_finding_of_one_fingerprint()
    {
        using var session = TestRulesSession();
        string text = $"a = \"{CoreTestKit.GitHubToken}\";\nb = \"ghp_Pq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK\";\nc = \"{CoreTestKit.GitHubToken}\"; d = \"{CoreTestKit.GitHubToken}\";\n";

        var findings = session.Scan([SourceItem.InMemory(new Blob { Path = "a.js", Content = Encoding.UTF8.GetBytes(text) })]).Result.Findings;

        Assert.Equal([1, 2, 3], findings.Select(f => f.Location.Line ?? 0).Order());
        var repeated = findings.Where(f => f.Location.Line != 2).ToList();
        Assert.Single(repeated.Select(f => f.Fingerprint).Distinct());
        Assert.NotEqual(repeated[0].Fingerprint, findings.Single(f => f.Location.Line == 2).Fingerprint);
        // Line 3 holds it twice: one finding there, the second place counted in the first line's.
        var locations = Assert.IsType<Dictionary<string, object?>>(findings.Single(f => f.Location.Line == 1).Details["locations"]);
        Assert.Equal(3, locations["count"]);
        Assert.Equal(["a.js:3"], Assert.IsType<List<string>>(locations["others"]));
        Assert.False(findings.Single(f => f.Location.Line == 3).Details.ContainsKey("locations"));
    }

    [Fact]
    public void Lines_past_the_reported_ones_and_copies_in_other_files_of_the_input_are_counted_in_the_first()
    {
        string package = Directory.CreateDirectory(Path.Join(_dir, "package", "dist")).Parent!.FullName;
        string line = $"export const token = \"{CoreTestKit.GitHubToken}\";\n";
        int lines = FindingMerge.LinesReported + 2;
        File.WriteAllText(Path.Join(package, "dist", "cli.js"), string.Concat(Enumerable.Repeat(line, lines)));
        File.WriteAllText(Path.Join(package, "dist", "cli.js.map"), JsonSerializer.Serialize(new
        {
            version = 3,
            file = "cli.js",
            sources = new[] { "../src/cli.ts" },
            sourcesContent = new[] { line },
            mappings = "AAAA",
        }));
        CoreTestKit.Run(_dir, "tar", "czf", "pkg.tgz", "package");
        using var session = TestRulesSession();
        string tgz = Path.Join(_dir, "pkg.tgz");

        var findings = session.Scan([new SourceItem { Path = "pkg.tgz", Open = () => File.OpenRead(tgz) }]).Result.Findings
            .Where(f => f.RuleId == "test.github").ToList();

        Assert.Equal(Enumerable.Range(1, FindingMerge.LinesReported), findings.Select(f => f.Location.Line ?? 0).Order());
        Assert.All(findings, f => Assert.Equal("pkg.tgz!package/dist/cli.js", f.Location.Path));
        var locations = Assert.IsType<Dictionary<string, object?>>(findings.Single(f => f.Location.Line == 1).Details["locations"]);
        Assert.Equal(lines + 1, locations["count"]);
        Assert.Equal([$"pkg.tgz!package/dist/cli.js:{lines - 1}", $"pkg.tgz!package/dist/cli.js:{lines}", "pkg.tgz!package/dist/cli.js.map!../src/cli.ts:1"],
            Assert.IsType<List<string>>(locations["others"]));
    }

    private ScanSession TestRulesSession()
    {
        string rules = Path.Join(_dir, "rules.yaml");
        File.WriteAllText(rules, CoreTestKit.RulesYaml);
        return ScanSession.Open(new ScanSettings { Engine = EngineKind.Managed, BuiltInRules = false, ExtraRules = [rules], CacheDirectory = _dir });
    }

    [Fact]
    public void Warnings_of_one_kind_are_a_few_examples_and_a_count()
    {
        var warnings = Enumerable.Range(0, 10)
            .Select(i => new ScanWarning($"pkg.tgz!dist/f{i}.js", $"its sourceMappingURL names pkg.tgz!dist/f{i}.js.map, which is not in the artefact"))
            .Append(new ScanWarning("cut.tgz", "gzip archive is truncated or corrupt"))
            .ToList();

        var lines = WarningSummary.Lines(warnings).ToList();

        Assert.Equal(5, lines.Count);
        Assert.Equal("warning: … and 7 more like the last (--verbose lists every warning)", lines[3]);
        Assert.Equal("warning: cut.tgz: gzip archive is truncated or corrupt", lines[4]);
        Assert.Equal(11, WarningSummary.Lines(warnings, all: true).Count());
    }
}
