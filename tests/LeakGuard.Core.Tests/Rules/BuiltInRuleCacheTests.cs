using LeakGuard.Core.Rules;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Rules;

/// <summary>The built-in rules read from the cache folder are the rules read from YAML.</summary>
public class BuiltInRuleCacheTests
{
    private static string Describe(Rule r) => string.Join(" | ", r.Id, r.Name, r.Kind, r.Severity, r.Confidence, r.JudgedByContext,
        r.ConfigurationOnly, r.Pattern, r.Parser, r.Entropy, r.Path, string.Join(',', r.Keywords), string.Join(',', r.Tags),
        string.Join(',', r.Examples), string.Join(',', r.NegativeExamples), string.Join(',', r.References), r.Source);

    [Fact]
    public void The_cached_rules_are_the_rules_read_from_YAML()
    {
        string cache = CoreTestKit.TempDirectory();
        var fromYaml = RuleLoader.LoadBuiltIn().Select(Describe).ToList();
        Assert.Equal(fromYaml, RuleLoader.LoadBuiltIn(cache).Select(Describe));
        Assert.Single(Directory.GetFiles(cache, "rules-*.json"));
        Assert.Equal(fromYaml, RuleLoader.LoadBuiltIn(cache).Select(Describe));
    }

    [Fact]
    public void A_second_run_reads_the_cache_not_the_YAML()
    {
        string cache = CoreTestKit.TempDirectory();
        string first = RuleLoader.LoadBuiltIn(cache)[0].Name;
        string file = Directory.GetFiles(cache, "rules-*.json").Single();
        File.WriteAllText(file, File.ReadAllText(file).Replace($"\"{first}\"", "\"read from the cache\"", StringComparison.Ordinal));
        Assert.Equal("read from the cache", RuleLoader.LoadBuiltIn(cache)[0].Name);
    }

    [Fact]
    public void Writing_a_new_cache_leaves_only_the_most_recently_used_rule_caches()
    {
        string cache = CoreTestKit.TempDirectory();
        for (int i = 0; i < 12; i++)
        {
            string stale = Path.Join(cache, $"rules-stale{i:x2}.json");
            File.WriteAllText(stale, "[]");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1 - i));
        }

        RuleLoader.LoadBuiltIn(cache);

        var left = Directory.GetFiles(cache, "rules-*.json").Select(Path.GetFileName).ToList();
        Assert.Equal(Matching.CacheFiles.Kept, left.Count);
        Assert.Single(left, name => !name!.StartsWith("rules-stale", StringComparison.Ordinal));
        Assert.DoesNotContain("rules-stale0b.json", left);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[{\"Source\": 7}]")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("[{\"Source\": \"rules/ably.yaml\", \"Rules\": [null]}]")]
    public void A_damaged_cache_is_read_from_YAML_again_and_replaced(string damage)
    {
        string cache = CoreTestKit.TempDirectory();
        RuleLoader.LoadBuiltIn(cache);
        string file = Directory.GetFiles(cache, "rules-*.json").Single();
        File.WriteAllText(file, damage);
        Assert.Equal(RuleLoader.LoadBuiltIn().Select(Describe), RuleLoader.LoadBuiltIn(cache).Select(Describe));
        Assert.NotEqual(damage, File.ReadAllText(file));
    }
}
