using LeakGuard.Core.Rules;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Rules;

/// <summary>The filter picks exactly the rules their own conditions pick: a condition skipped
/// because a path lacks its literals is one that would not have matched.</summary>
public class PathFilterTests
{
    private static readonly RuleSet BuiltIn = new(RuleLoader.LoadBuiltIn());

    public static TheoryData<string> Paths => new()
    {
        ".env", "deploy/.env.production", "src/app.js", "home/dev/.ssh/id_rsa", "certs/Server.PEM",
        "package/src/index.ts", "package/src/types.d.ts", "repo/.git/config", ".git/HEAD", "home/u/.aws/credentials",
        "home/u/.pgpass", "home/u/.git-credentials", "home/u/.m2/settings.xml", "NuGet.Config", "home/u/.kube/config",
        "home/u/.netrc", "x/.htpasswd", "infra/terraform.tfstate", "a/b/c.bak", "node_modules/x/README.md",
        "dist.tgz!package/.npmrc", "FileZilla/sitemanager.xml", "home/u/.docker/config.json", "HOME/U/.PGPASS",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Picks_the_rules_each_condition_picks_alone(string path)
    {
        foreach (var rules in new[] { BuiltIn.PathRules, BuiltIn.ParserRules })
        {
            var expected = rules.Where(r => r.Path is null || r.Path.IsMatch(path)).Select(r => r.Id).Order().ToList();
            // A filter's first paths ask every condition; later ones only those whose literals the path holds.
            var fresh = new PathFilter(rules);
            var warmed = new PathFilter(rules);
            for (int i = 0; i < 100; i++)
            {
                warmed.Match("src/warm-up.c", [], []);
            }
            foreach (var filter in new[] { fresh, warmed })
            {
                var matched = new List<Rule>();
                filter.Match(path, matched, []);
                Assert.Equal(expected, matched.Select(r => r.Id).Order());
            }
        }
    }

    [Fact]
    public void Every_example_path_of_a_built_in_path_rule_is_picked()
    {
        foreach (var (rules, filter) in new[] { (BuiltIn.PathRules, BuiltIn.PathRuleFilter), (BuiltIn.ParserRules, BuiltIn.ParserRuleFilter) })
        {
            foreach (var rule in rules.Where(r => r.Path is not null))
            {
                foreach (string path in rule.Examples.Where(e => rule.Path!.IsMatch(e)))
                {
                    var matched = new List<Rule>();
                    filter.Match(path, matched, []);
                    Assert.True(matched.Contains(rule), $"{rule.Id}: '{path}' matches its condition but the filter skipped it");
                }
            }
        }
    }

    [Fact]
    public void A_condition_searched_from_the_end_matches_the_paths_it_matches_searched_from_the_start()
    {
        var conditions = BuiltIn.PathRules.Concat(BuiltIn.ParserRules).Where(r => r.Path is not null).ToList();
        Assert.Contains(conditions, r => r.Path!.RightToLeft);
        // Every example of every condition, this repository's own paths, and each of them as a
        // member of a package and of a source map inside it (long paths, several slashes).
        var root = CoreTestKit.RepositoryRoot();
        var paths = conditions.SelectMany(r => r.Examples.Concat(r.NegativeExamples))
            .Concat(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Take(20_000))
            .SelectMany(p => new[] { p, $"pkg.tgz!package/{p}", $"pkg.tgz!package/dist/app.js.map!../{p}~", $"{p}.bak" })
            .ToList();
        foreach (var rule in conditions.Where(r => r.Path!.RightToLeft))
        {
            var fromStart = new System.Text.RegularExpressions.Regex(rule.Path!.ToString(), rule.Path.Options & ~System.Text.RegularExpressions.RegexOptions.RightToLeft);
            var differ = paths.Where(p => rule.Path.IsMatch(p) != fromStart.IsMatch(p)).Take(3).ToList();
            Assert.True(differ.Count == 0, $"{rule.Id}: {string.Join(", ", differ)}");
        }
    }
}
