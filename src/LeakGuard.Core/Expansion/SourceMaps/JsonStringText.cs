using System.Text;
using System.Text.Unicode;
using LeakGuard.Core.Expansion.Decoding;

namespace LeakGuard.Core.Expansion.SourceMaps;

/// <summary>
/// The text of a JSON string the outline pass has already read (so its escapes are well-formed),
/// unescaped to UTF-8: what <see cref="System.Text.Json.Utf8JsonReader.CopyString(Span{byte})"/>
/// gives, without reading the string a second time through a reader. Runs between escapes are
/// copied whole, so a 50 MB <c>sourcesContent</c> costs about a copy.
/// </summary>
internal static class JsonStringText
{
    private const int UnicodeEscapeLength = 6;

    /// <summary>Unescapes <paramref name="escaped"/> (the bytes between the quotes) into
    /// <paramref name="output"/>, which must be at least as long (an escape never grows). False
    /// where CopyString throws: an escaped lone surrogate, or bytes that are not UTF-8.</summary>
    public static bool TryUnescape(ReadOnlySpan<byte> escaped, Span<byte> output, out int length)
    {
        length = 0;
        int read = 0;
        while (true)
        {
            int next = escaped[read..].IndexOf((byte)'\\');
            var run = next < 0 ? escaped[read..] : escaped.Slice(read, next);
            run.CopyTo(output[length..]);
            length += run.Length;
            if (next < 0)
            {
                return Utf8.IsValid(output[..length]);
            }
            read += next;
            if (read + 1 >= escaped.Length)
            {
                return false;
            }
            int single = escaped[read + 1] switch
            {
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                (byte)'"' => '"',
                (byte)'\\' => '\\',
                (byte)'/' => '/',
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                _ => -1,
            };
            if (single >= 0)
            {
                output[length++] = (byte)single;
                read += 2;
                continue;
            }
            if (!TryReadUnicode(escaped[read..], out int unit))
            {
                return false;
            }
            read += UnicodeEscapeLength;
            Rune rune;
            if (char.IsHighSurrogate((char)unit))
            {
                if (!TryReadUnicode(escaped[read..], out int low) || !char.IsLowSurrogate((char)low))
                {
                    return false;
                }
                read += UnicodeEscapeLength;
                rune = new Rune((char)unit, (char)low);
            }
            else if (char.IsLowSurrogate((char)unit))
            {
                return false;
            }
            else
            {
                rune = new Rune(unit);
            }
            length += rune.EncodeToUtf8(output[length..]);
        }
    }

    /// <summary>A <c>\uXXXX</c> escape at the start of <paramref name="input"/>.</summary>
    private static bool TryReadUnicode(ReadOnlySpan<byte> input, out int unit)
    {
        unit = 0;
        return input.Length >= UnicodeEscapeLength && input[0] == '\\' && input[1] == 'u' && HexDigit.TryRead4(input[2..], out unit);
    }
}
