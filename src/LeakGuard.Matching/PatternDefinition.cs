namespace LeakGuard.Matching;

/// <summary>One pattern to match: a regex in LeakGuard's dialect and the literal keywords that
/// every one of its matches contains.</summary>
public sealed record PatternDefinition(string Id, string Pattern, IReadOnlyList<string> Keywords);
