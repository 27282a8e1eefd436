using System.Text;
using LeakGuard.Matching;
using LeakGuard.Matching.Hyperscan;

namespace LeakGuard.Matching.Tests;

public class ConfirmationTimeoutTests
{
    /// <summary>Nested quantifiers: tried at a run of letters that no ';' ends, .NET's
    /// backtracking search would outlast any test run.</summary>
    private static readonly PatternDefinition Nested = new("custom.nested", @"key=((?:[a-z]{1,30}\.?){1,30});", ["key="]);

    private static readonly PatternDefinition Token = new("tok", "tok_[a-z0-9]{20}", ["tok_"]);

    /// <summary>69 bytes. The match at its end is what makes Hyperscan hand the window to .NET,
    /// which tries the first key= before it.</summary>
    private static readonly string Hostile = "key=" + new string('a', 57) + "!key=ab;";

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void A_pattern_that_runs_past_its_time_limit_is_reported_and_every_other_pattern_is_still_matched(string engineName)
    {
        Assert.Equal(69, Hostile.Length);
        var patterns = CompiledPattern.CompileAll([Nested, Token], TimeSpan.FromMilliseconds(200));
        using IMatchEngine engine = engineName == "managed" ? new ManagedEngine(patterns) : new HyperscanEngine(patterns, Engines.CacheDirectory);
        byte[] data = Encoding.ASCII.GetBytes($"{Hostile}\nx tok_abcdefghij0123456789 y\nkey=abc.def;\n");
        var results = new List<PatternMatch>();
        var timedOut = new List<int>();

        engine.Scan(data, results, timedOut);

        Assert.Equal([0], timedOut);
        var token = Assert.Single(results);
        Assert.Equal(1, token.PatternIndex);
    }

    /// <summary>A block with the optional patterns skipped runs in the engine over the others,
    /// where the nested pattern is index 0: the caller must hear of it by its index in the full
    /// list (1), or the warning names another rule.</summary>
    [Theory]
    [InlineData(EngineKind.Managed)]
    [InlineData(EngineKind.Hyperscan)]
    public void A_tiered_engine_reports_a_timed_out_pattern_by_its_index_in_the_full_list(EngineKind kind)
    {
        var optional = new PatternDefinition("optional", "opt_[a-z0-9]{20}", ["opt_"]);
        var patterns = CompiledPattern.CompileAll([optional, Nested, Token], TimeSpan.FromMilliseconds(200));
        bool[] skip = [true, false, false];
        using var engine = MatchEngineFactory.Create(kind, patterns, skip, Engines.CacheDirectory);
        var results = new List<PatternMatch>();
        var timedOut = new List<int>();

        engine.Scan(Encoding.ASCII.GetBytes($"{Hostile}\nx tok_abcdefghij0123456789 y\n"), results, timedOut, skip);

        Assert.Equal([1], timedOut);
        Assert.Equal(2, Assert.Single(results).PatternIndex);
    }

    [Fact]
    public void Patterns_get_the_default_time_limit_unless_given_one()
    {
        var patterns = CompiledPattern.CompileAll([Token]);
        Assert.Equal(CompiledPattern.DefaultConfirmationTimeout, patterns[0].ConfirmationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), CompiledPattern.DefaultConfirmationTimeout);
    }

    [Fact]
    public void Only_a_compiled_pattern_whose_worst_case_is_not_bounded_low_pays_for_the_clock()
    {
        // .NET reads the clock at every position it tries when a regex has a time limit: the
        // interpreter of a pattern's first windows keeps it, the compiled regex of a pattern that
        // confirms many drops it where the pattern's worst case is bounded low.
        var patterns = CompiledPattern.CompileAll([Nested, Token]);
        Assert.All(patterns, p => Assert.Equal(CompiledPattern.DefaultConfirmationTimeout, p.Regex.MatchTimeout));
        var compiled = patterns.Select(Hot).ToList();
        Assert.All(compiled, r => Assert.True(r.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.Compiled)));
        Assert.Equal(CompiledPattern.DefaultConfirmationTimeout, compiled[0].MatchTimeout);
        Assert.Equal(System.Text.RegularExpressions.Regex.InfiniteMatchTimeout, compiled[1].MatchTimeout);
    }

    /// <summary>The regex of a pattern that has confirmed many windows.</summary>
    private static System.Text.RegularExpressions.Regex Hot(CompiledPattern pattern)
    {
        var regex = pattern.Regex;
        for (int window = 0; window < 64; window++)
        {
            regex = pattern.Regex;
        }
        return regex;
    }
}
