using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Rules;

/// <summary>One detection rule, as written in rules/*.yaml (see rules/README.md).</summary>
public sealed class Rule
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required FindingKind Kind { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>Content pattern in the shared dialect; null for a path rule.</summary>
    public string? Pattern { get; init; }

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Minimum Shannon entropy (bits per byte) of the secret.</summary>
    public double? Entropy { get; init; }

    /// <summary>.NET regex on the member path ('/' separators).</summary>
    public Regex? Path { get; init; }

    public IReadOnlyList<string> Examples { get; init; } = [];
    public IReadOnlyList<string> NegativeExamples { get; init; } = [];
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>Where the rule was read from, for messages.</summary>
    public string Source { get; init; } = "";

    public bool IsPathOnly => Pattern is null;

    /// <summary>The same rule firing on any path: what its content examples are checked with.</summary>
    public Rule WithoutPathCondition() => new()
    {
        Id = Id,
        Name = Name,
        Kind = Kind,
        Severity = Severity,
        Pattern = Pattern,
        Keywords = Keywords,
        Entropy = Entropy,
        Examples = Examples,
        NegativeExamples = NegativeExamples,
        References = References,
        Source = Source,
    };
}
