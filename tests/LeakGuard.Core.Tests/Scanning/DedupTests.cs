using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>
/// Identical content is matched once (issue 16): dedup may change what a scan costs, never what it
/// reports. A file's findings are judged by its own path (a test fixture or a document is not a
/// configuration file), so a tree of verbatim copies must report, file by file, what a tree of
/// distinct files does.
/// </summary>
public sealed class DedupTests(BuiltInRulesSession builtIn) : IClassFixture<BuiltInRulesSession>
{
    private const string Content =
        "production:\n  password: 'T7v!q2Zx9LwR'\n  github_token: " + CoreTestKit.GitHubToken + "\n";

    private static readonly string[] Paths =
    [
        "config/database.yml",
        "tests/fixtures/database.yml",
        "docs/setup.md",
        "vendor/app/config/database.yml",
        "deploy/.env",
    ];

    [Fact]
    public void A_tree_of_copies_reports_per_file_what_a_tree_of_distinct_files_does()
    {
        var copies = FindingsByPath(Paths.Select(p => (p, Content)));
        // Each distinct file differs only after the findings, so positions are the same.
        var distinct = FindingsByPath(Paths.Select((p, i) => (p, Content + $"# copy {i}\n")));

        foreach (string path in Paths)
        {
            Assert.Equal(distinct[path], copies[path]);
        }
        // The check means something only if the judgement depends on the path: otherwise one
        // cached verdict would pass it too.
        Assert.True(distinct.Values.Select(f => string.Join("|", f)).Distinct().Count() > 1,
            "every path was judged alike; the test would not notice findings carried from one copy to another");
    }

    private Dictionary<string, string[]> FindingsByPath(IEnumerable<(string Path, string Text)> files)
    {
        var items = files.Select(f => SourceItem.InMemory(new Blob { Path = f.Path, Content = Encoding.UTF8.GetBytes(f.Text) }));
        var findings = builtIn.Session.Scan([.. items]).Result.Findings;
        return Paths.ToDictionary(p => p, p => findings
            .Where(f => f.Location.Path == p)
            .Select(f => $"{f.RuleId} {f.Location.Line}:{f.Location.Column} {f.Severity} {f.Confidence} {f.Kind}")
            .Order(StringComparer.Ordinal)
            .ToArray());
    }
}
