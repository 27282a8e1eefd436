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
    [InlineData(@"^\b(?:abc)?x$", 1, 4)]
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
    public void Rejects_what_the_engines_would_read_differently(string pattern, string reason)
    {
        var error = Assert.Throws<PatternSyntaxException>(() => PatternSyntax.Analyze(pattern));
        Assert.Contains(reason, error.Message);
    }

    /// <summary>An empty match is no secret, and it would fire at every offset where the
    /// pattern's assertions hold. Every row can match "" somewhere, so every row must throw.</summary>
    [Theory]
    [InlineData("a?", "can match the empty string")]
    [InlineData("(?:)", "can match the empty string")]
    [InlineData("(?:abc|)", "can match the empty string")]
    [InlineData("(?:tok_[a-z]{4})?", "can match the empty string")]
    [InlineData("[a-z]{0,8}", "can match the empty string")]
    [InlineData(@"\b", "can match the empty string")]
    [InlineData("^$", "can match the empty string")]
    [InlineData(@"\b(?:ghp_[A-Za-z0-9]{36}|[a-z]{0,3})\b", "can match the empty string")]
    public void Rejects_a_pattern_that_can_match_the_empty_string(string pattern, string reason)
    {
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
