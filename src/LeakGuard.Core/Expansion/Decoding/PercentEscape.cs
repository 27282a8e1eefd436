namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>URL percent-escapes <c>%XX</c>. <c>+</c> is left alone: it means a space only in form
/// bodies, and in a password or a base64 value it is a literal plus. <c>%00</c> stays encoded,
/// because one NUL makes the whole decoded child look binary and go unscanned.</summary>
internal readonly struct PercentEscape : IEscapeSyntax
{
    public static byte Introducer => (byte)'%';

    public static int TryDecode(ReadOnlySpan<byte> input, Span<byte> output, out int written)
    {
        written = 0;
        if (input.Length < 3)
        {
            return 0;
        }
        int high = HexDigit.Value(input[1]);
        int low = HexDigit.Value(input[2]);
        if (high < 0 || low < 0 || (high | low) == 0)
        {
            return 0;
        }
        output[0] = (byte)((high << 4) | low);
        written = 1;
        return 3;
    }
}
