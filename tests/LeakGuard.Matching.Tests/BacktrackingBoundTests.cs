using LeakGuard.Core.Rules;
using LeakGuard.Matching;

namespace LeakGuard.Matching.Tests;

public class BacktrackingBoundTests
{
    [Theory]
    [InlineData(@"(a{1,30}){1,30}b", "nested quantifiers '(a{1,30}){1,30}' at position 0")]
    [InlineData(@"key=(?:[a-z]{1,30}\.?){1,30};", @"nested quantifiers '(?:[a-z]{1,30}\.?){1,30}' at position 4")]
    [InlineData(@"(?:\w|\d){1,40}x", @"repeated alternatives that can match the same text '(?:\w|\d){1,40}'")]
    [InlineData(@"(?:ab|a|b){1,30}c", "repeated alternatives that can match the same text")]
    [InlineData(@"(?:a?){1,40}b", "a repeated part that can match nothing")]
    [InlineData(@"x(?:[a-z]{2}|[a-z]{3}){1,40}!", "repeated alternatives that can match the same text")]
    public void Rejects_a_repetition_whose_iterations_can_divide_the_same_text_in_more_than_one_way(string pattern, string reason)
    {
        string? problem = BacktrackingBound.Check(pattern);

        Assert.NotNull(problem);
        Assert.Contains("worst case is exponential", problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void Letters_that_differ_only_in_case_overlap_under_i()
    {
        // 'a' is one of [A-Z] only when case is ignored.
        Assert.Null(BacktrackingBound.Check("(?:a[A-Z]{1,20}){1,20}!"));
        Assert.Contains("nested quantifiers", BacktrackingBound.Check("(?i)(?:a[A-Z]{1,20}){1,20}!"));
        Assert.Contains("nested quantifiers", BacktrackingBound.Check("(?i:(?:a[A-Z]{1,20}){1,20})!"));
    }

    [Theory]
    [InlineData(@"(?:[a-z0-9-]{1,63}\.){1,10}[a-z]{2,10}")] // each label ends at its dot
    [InlineData(@"(?:[A-Za-z0-9+/]{4}){10,200}")] // fixed-width iterations
    [InlineData(@"(?:ab|cd){1,40}x")] // alternatives that start differently
    [InlineData(@"(?:\\[rn]|[\s""'+]){1,12}x")]
    [InlineData(@"(?:a|ab){1,3}c")] // ambiguous, but three iterations cost nothing
    [InlineData(@"[a-z]{1,60}[a-z0-9]{1,60}!")] // polynomial: left to the confirmation timeout
    [InlineData(@"\b(ghp_[A-Za-z0-9]{36})\b")]
    public void Accepts_repetitions_whose_iterations_cannot_trade_text(string pattern)
    {
        Assert.Null(BacktrackingBound.Check(pattern));
    }

    [Fact]
    public void Every_built_in_rule_pattern_is_accepted()
    {
        var problems = RuleLoader.LoadBuiltIn()
            .Where(rule => rule.Pattern is not null)
            .Select(rule => (rule.Id, Problem: BacktrackingBound.Check(rule.Pattern!)))
            .Where(checkedRule => checkedRule.Problem is not null)
            .Select(checkedRule => $"{checkedRule.Id}: {checkedRule.Problem}");

        Assert.Empty(problems);
    }

    [Fact]
    public void A_pattern_outside_the_dialect_is_a_syntax_error_not_a_verdict()
    {
        Assert.Throws<PatternSyntaxException>(() => BacktrackingBound.Check("(a+)+b"));
    }
}
