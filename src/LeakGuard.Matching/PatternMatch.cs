namespace LeakGuard.Matching;

/// <summary>A confirmed match: byte offsets into the scanned data. The secret is capture group 1
/// when the pattern has one, else the whole match.</summary>
public readonly record struct PatternMatch(int PatternIndex, int Start, int Length, int SecretStart, int SecretLength)
{
    public int End => Start + Length;
}
