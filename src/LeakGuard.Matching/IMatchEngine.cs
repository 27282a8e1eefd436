namespace LeakGuard.Matching;

/// <summary>Finds every confirmed match of every pattern in a block of bytes.
/// Implementations are thread-safe: one engine serves all scanning threads.</summary>
public interface IMatchEngine : IDisposable
{
    /// <summary><c>hyperscan</c> or <c>managed</c>.</summary>
    string Name { get; }

    IReadOnlyList<CompiledPattern> Patterns { get; }

    /// <summary>One-line notes for the user, e.g. patterns Hyperscan could not compile.</summary>
    IReadOnlyList<string> Notes { get; }

    /// <summary>Appends the matches in <paramref name="data"/> to <paramref name="results"/>,
    /// ordered by pattern, then start. A pattern whose confirmation runs past its time limit
    /// (<see cref="CompiledPattern.ConfirmationTimeout"/>) in one place is not confirmed in the
    /// rest of the data: its index is appended to <paramref name="timedOut"/>, and the matches it
    /// would have had from there on are missing.</summary>
    /// <param name="skip">Patterns not to confirm in this block (<c>skip[i]</c> for pattern i),
    /// when the caller knows their matches would be thrown away; empty: every pattern.</param>
    void Scan(ReadOnlySpan<byte> data, List<PatternMatch> results, List<int> timedOut, ReadOnlySpan<bool> skip = default);
}
