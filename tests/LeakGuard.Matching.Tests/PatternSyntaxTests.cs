using LeakGuard.Matching;

namespace LeakGuard.Matching.Tests;

public class PatternSyntaxTests
{
    [Theory]
    [InlineData("abc", 3, 3)]
    [InlineData("ab{2,5}", 3, 6)]
    [InlineData("a(?:bc|d)?", 1, 3)]
    [InlineData(@"(?i)\bghp_[A-Za-z0-9]{36}\b", 40, 40)]
    [InlineData(@"x[\]a-z]{0,4}\x41", 2, 6)]
    [InlineData("(a|bcd){2}", 2, 6)]
    public void Computes_structural_width_bounds(string pattern, int min, int max)
    {
        var shape = PatternSyntax.Analyze(pattern);
        Assert.Equal(min, shape.MinWidth);
        Assert.Equal(max, shape.MaxWidth);
    }

    [Theory]
    [InlineData("a+", "unbounded")]
    [InlineData("a*", "unbounded")]
    [InlineData("a{3,}", "unbounded")]
    [InlineData("(?=a)b", "unsupported group")]
    [InlineData("(?<name>a)", "unsupported group")]
    [InlineData(@"(a)\1", "unsupported escape")]
    [InlineData(@"\p{L}", "unsupported escape")]
    [InlineData(@"\Aabc", "unsupported escape")]
    [InlineData("(a)(b)", "more than one capturing group")]
    [InlineData("a{0,5000}", "exceeds 4096")]
    [InlineData("a{2,5}+", "possessive")]
    [InlineData("(ab", "unterminated group")]
    [InlineData("[ab", "unterminated character class")]
    [InlineData("ab)", "unbalanced")]
    [InlineData("a?", "")]
    public void Rejects_what_the_engines_would_read_differently(string pattern, string reason)
    {
        if (reason.Length == 0)
        {
            // A pattern that can match nothing but the empty string is useless, not ambiguous.
            Assert.Throws<PatternSyntaxException>(() => PatternSyntax.Analyze("(?:)"));
            return;
        }
        var error = Assert.Throws<PatternSyntaxException>(() => PatternSyntax.Analyze(pattern));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Counts_one_capture_group_and_ignores_non_capturing_ones()
    {
        Assert.Equal(1, PatternSyntax.Analyze("(?:key|token)=([a-z]{8})").CaptureGroups);
        Assert.Equal(0, PatternSyntax.Analyze("(?i:key)=[a-z]{8}").CaptureGroups);
    }

    [Fact]
    public void A_keyword_longer_than_any_match_is_rejected()
    {
        var error = Assert.Throws<PatternSyntaxException>(() => new CompiledPattern(0, new PatternDefinition("p", "abc", ["abcd"])));
        Assert.Contains("longer than any match", error.Message);
    }

    [Fact]
    public void A_short_keyword_is_rejected()
    {
        var error = Assert.Throws<PatternSyntaxException>(() => new CompiledPattern(0, new PatternDefinition("p", "abc", ["ab"])));
        Assert.Contains("at least 3 characters", error.Message);
    }
}
