namespace LeakGuard.Matching;

/// <summary>One pattern to match: a regex in LeakGuard's dialect and the literal keywords that
/// every one of its matches contains.</summary>
public sealed record PatternDefinition(string Id, string Pattern, IReadOnlyList<string> Keywords)
{
    /// <summary>.NET is known to accept the pattern (a built-in rule, checked when it was shipped),
    /// so it is not parsed at load only to prove it: its regex is built when first used.</summary>
    public bool KnownToCompile { get; init; }
}
