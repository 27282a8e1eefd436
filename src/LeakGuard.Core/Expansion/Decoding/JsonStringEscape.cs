using System.Text;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// JSON string escapes: <c>\n \r \t \" \\ \/</c> and <c>\uXXXX</c> (surrogate pairs joined),
/// written as UTF-8. Deliberately left encoded: <c>\b</c> and <c>\f</c>, which no secret contains
/// and which are everywhere in regex source (decoding them would only copy such files for
/// nothing); <c>\u0000</c>, because one NUL makes the whole decoded child look binary and go
/// unscanned; and lone surrogates, which have no UTF-8 form.
/// </summary>
internal readonly struct JsonStringEscape : IEscapeSyntax
{
    private const int UnicodeEscapeLength = 6;

    public static byte Introducer => (byte)'\\';

    public static int TryDecode(ReadOnlySpan<byte> input, Span<byte> output, out int written)
    {
        written = 0;
        if (input.Length < 2)
        {
            return 0;
        }
        byte single = input[1] switch
        {
            (byte)'n' => (byte)'\n',
            (byte)'r' => (byte)'\r',
            (byte)'t' => (byte)'\t',
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'/' => (byte)'/',
            _ => 0,
        };
        if (single != 0)
        {
            output[0] = single;
            written = 1;
            return 2;
        }
        if (input[1] != 'u' || !HexDigit.TryRead4(input[2..], out int unit) || unit == 0)
        {
            return 0;
        }
        if (char.IsLowSurrogate((char)unit))
        {
            return 0;
        }
        if (!char.IsHighSurrogate((char)unit))
        {
            written = new Rune(unit).EncodeToUtf8(output);
            return UnicodeEscapeLength;
        }
        var low = input[UnicodeEscapeLength..];
        if (low.Length < UnicodeEscapeLength || low[0] != '\\' || low[1] != 'u' ||
            !HexDigit.TryRead4(low[2..], out int lowUnit) || !char.IsLowSurrogate((char)lowUnit))
        {
            return 0;
        }
        written = new Rune((char)unit, (char)lowUnit).EncodeToUtf8(output);
        return 2 * UnicodeEscapeLength;
    }
}
