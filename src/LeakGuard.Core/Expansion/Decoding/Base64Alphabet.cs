namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// The standard (<c>+/</c>) and URL-safe (<c>-_</c>) base64 alphabets as 256-entry tables: one
/// that classifies a byte for the run scan, one that gives its 6-bit value for decoding.
/// </summary>
internal static class Base64Alphabet
{
    /// <summary>What the run scan needs to know about a byte; <see cref="None"/> ends a run.</summary>
    [Flags]
    public enum SymbolClass : byte
    {
        None = 0,
        Symbol = 1,
        Upper = 2,
        Lower = 4,

        /// <summary>A symbol that is not a hex digit: a run without one is hex, not base64.</summary>
        NotHex = 8,

        /// <summary>'+' or '/': only in the standard alphabet.</summary>
        StandardOnly = 16,

        /// <summary>'-' or '_': only in the URL-safe alphabet.</summary>
        UrlSafeOnly = 32,
    }

    private static readonly SymbolClass[] Classes = BuildClasses();
    private static readonly byte[] Values = BuildValues();

    public static SymbolClass Classify(byte c) => Classes[c];

    /// <summary>Bytes that <paramref name="symbolCount"/> symbols decode to (trailing bits that do
    /// not fill a byte are dropped, as unpadded base64 requires).</summary>
    public static int DecodedLength(int symbolCount) => (int)((long)symbolCount * 6 / 8);

    /// <summary>Decodes symbols of either alphabet (no padding) into
    /// <paramref name="output"/>, which must hold <see cref="DecodedLength"/> bytes.</summary>
    public static int Decode(ReadOnlySpan<byte> symbols, Span<byte> output)
    {
        int bits = 0;
        int pending = 0;
        int written = 0;
        foreach (byte c in symbols)
        {
            // At most 6 bits are pending before a symbol is added, so 12 bits always suffice.
            bits = ((bits << 6) | Values[c]) & 0xFFF;
            pending += 6;
            if (pending >= 8)
            {
                pending -= 8;
                output[written++] = (byte)(bits >> pending);
            }
        }
        return written;
    }

    private static SymbolClass[] BuildClasses()
    {
        var classes = new SymbolClass[256];
        for (int c = 'A'; c <= 'Z'; c++)
        {
            classes[c] = SymbolClass.Symbol | SymbolClass.Upper | (c <= 'F' ? 0 : SymbolClass.NotHex);
        }
        for (int c = 'a'; c <= 'z'; c++)
        {
            classes[c] = SymbolClass.Symbol | SymbolClass.Lower | (c <= 'f' ? 0 : SymbolClass.NotHex);
        }
        for (int c = '0'; c <= '9'; c++)
        {
            classes[c] = SymbolClass.Symbol;
        }
        classes['+'] = classes['/'] = SymbolClass.Symbol | SymbolClass.NotHex | SymbolClass.StandardOnly;
        classes['-'] = classes['_'] = SymbolClass.Symbol | SymbolClass.NotHex | SymbolClass.UrlSafeOnly;
        return classes;
    }

    private static byte[] BuildValues()
    {
        var values = new byte[256];
        for (int i = 0; i < 26; i++)
        {
            values['A' + i] = (byte)i;
            values['a' + i] = (byte)(26 + i);
        }
        for (int i = 0; i < 10; i++)
        {
            values['0' + i] = (byte)(52 + i);
        }
        values['+'] = values['-'] = 62;
        values['/'] = values['_'] = 63;
        return values;
    }
}
