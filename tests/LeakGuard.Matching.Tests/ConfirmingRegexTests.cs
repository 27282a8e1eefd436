using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.Matching.Hyperscan;

namespace LeakGuard.Matching.Tests;

public class ConfirmingRegexTests
{
    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void A_pattern_is_interpreted_for_its_first_windows_and_compiled_after_with_the_same_matches(string engineName)
    {
        var token = new PatternDefinition("tok", "tok_([a-z0-9]{20})", ["tok_"]);
        var patterns = CompiledPattern.CompileAll([token]);
        var first = patterns[0].Regex;
        // One window a line: far more windows than are confirmed before the regex is compiled.
        var text = new StringBuilder();
        var expected = new List<int>();
        for (int i = 0; i < 200; i++)
        {
            text.Append(new string('.', 200)).Append(" tok_");
            expected.Add(text.Length);
            text.Append($"{i:d4}abcdefghij012345 ").Append(i % 7 == 0 ? "tok_short " : "").Append('\n');
        }
        using IMatchEngine engine = engineName == "managed" ? new ManagedEngine(patterns) : new HyperscanEngine(patterns, Engines.CacheDirectory);
        var results = new List<PatternMatch>();

        engine.Scan(Encoding.ASCII.GetBytes(text.ToString()), results, []);

        Assert.Equal(expected, results.Select(m => m.SecretStart));
        Assert.All(results, m => Assert.Equal(20, m.SecretLength));
        var later = patterns[0].Regex;
        Assert.False(first.Options.HasFlag(RegexOptions.Compiled));
        Assert.True(later.Options.HasFlag(RegexOptions.Compiled));
        Assert.Equal(first.ToString(), later.ToString());
        // The interpreter keeps the time limit; this pattern's bound lets the compiled one drop it.
        Assert.Equal(CompiledPattern.DefaultConfirmationTimeout, first.MatchTimeout);
        Assert.Equal(Regex.InfiniteMatchTimeout, later.MatchTimeout);
    }
}
