using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Tests.Rules;

/// <summary>The joined path automaton picks exactly the rules their own conditions pick, and a scan
/// of a few files never builds it.</summary>
public class PathFilterTests
{
    private static readonly RuleSet BuiltIn = new(RuleLoader.LoadBuiltIn());

    /// <summary>Filters whose automaton is built and ready, as in a scan past its first paths.</summary>
    private static readonly Lazy<RuleSet> Joined = new(() =>
    {
        var set = new RuleSet(RuleLoader.LoadBuiltIn());
        foreach (var filter in new[] { set.PathRuleFilter, set.ParserRuleFilter })
        {
            for (int i = 0; i < PathFilter.PathsBeforeJoining; i++)
            {
                filter.Match($"warm/{i}.txt", [], []);
            }
            Assert.True(filter.Joining!.Wait(TimeSpan.FromSeconds(60)), "the automaton was not built within 60 s");
        }
        return set;
    });

    public static TheoryData<string> Paths => new()
    {
        ".env", "deploy/.env.production", "src/app.js", "home/dev/.ssh/id_rsa", "certs/Server.PEM",
        "package/src/index.ts", "package/src/types.d.ts", "repo/.git/config", ".git/HEAD", "home/u/.aws/credentials",
        "home/u/.pgpass", "home/u/.git-credentials", "home/u/.m2/settings.xml", "NuGet.Config", "home/u/.kube/config",
        "home/u/.netrc", "x/.htpasswd", "infra/terraform.tfstate", "a/b/c.bak", "node_modules/x/README.md",
        "dist.tgz!package/.npmrc", "FileZilla/sitemanager.xml", "home/u/.docker/config.json",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Picks_the_rules_each_condition_picks_alone(string path)
    {
        var set = Joined.Value;
        foreach (var (rules, filter) in new[] { (set.PathRules, set.PathRuleFilter), (set.ParserRules, set.ParserRuleFilter) })
        {
            var expected = rules.Where(r => r.Path is null || r.Path.IsMatch(path)).Select(r => r.Id).Order();
            var matched = new List<Rule>();
            filter.Match(path, matched, []);
            Assert.Equal(expected, matched.Select(r => r.Id).Order());
        }
    }

    [Fact]
    public void Checks_rule_by_rule_until_enough_paths_were_seen()
    {
        var filter = new RuleSet(RuleLoader.LoadBuiltIn()).PathRuleFilter;
        var matched = new List<Rule>();

        for (int i = 1; i < PathFilter.PathsBeforeJoining; i++)
        {
            filter.Match(".env", matched, []);
        }

        Assert.Null(filter.Joining);
        // Still every rule its own condition picks.
        var expected = BuiltIn.PathRules.Where(r => r.Path is null || r.Path.IsMatch(".env")).Select(r => r.Id).Order();
        matched.Clear();
        filter.Match(".env", matched, []);
        Assert.Equal(expected, matched.Select(r => r.Id).Order());
        Assert.NotNull(filter.Joining);
    }
}
