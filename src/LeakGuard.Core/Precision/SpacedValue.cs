namespace LeakGuard.Core.Precision;

/// <summary>
/// A service rule's value that follows its key after blanks alone, not after <c>=</c>, <c>:</c>,
/// <c>,</c> or <c>=&gt;</c>: Dockerfile <c>ENV KEY value</c>, Apache <c>SetEnv</c>, a
/// <c>.properties</c> line, a command-line flag (<c>--sentry-token …</c>). Prose and code line words
/// up the same way, so there only a value that looks generated keeps the rule's confidence.
/// </summary>
public static class SpacedValue
{
    /// <summary>Between the match's start and the value (quotes aside) there are blanks, and
    /// before them no assignment operator.</summary>
    public static bool IsSpaced(ReadOnlySpan<byte> content, int matchStart, int secretStart)
    {
        int i = secretStart - 1;
        while (i >= matchStart && content[i] is (byte)'"' or (byte)'\'' or (byte)'\\')
        {
            i--;
        }
        int blanks = 0;
        while (i >= matchStart && content[i] is (byte)' ' or (byte)'\t')
        {
            i--;
            blanks++;
        }
        return blanks > 0 && i >= matchStart && content[i] is not ((byte)'=' or (byte)':' or (byte)',' or (byte)'>' or (byte)'"' or (byte)'\'');
    }

    /// <summary>Digits among letters and no placeholder shape: a token, not a word or a name.</summary>
    public static bool LooksGenerated(string value) =>
        value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetter) && LiteralValues.LooksRandom(value) && !LiteralValues.IsPlaceholder(value);
}
