namespace LeakGuard.Core.Suppression;

/// <summary>What SecretText.Fingerprint produces: 16 bytes as 32 lowercase hex characters.
/// Suppression files are checked against it so a typo fails loudly instead of silently
/// suppressing nothing.</summary>
internal static class FingerprintFormat
{
    public const int Length = 32;

    public static bool IsValid(ReadOnlySpan<char> text)
    {
        if (text.Length != Length)
        {
            return false;
        }
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }
        return true;
    }
}
