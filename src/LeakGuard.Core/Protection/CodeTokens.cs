using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace LeakGuard.Core.Protection;

/// <summary>One token of normalised source: its hash, where it starts, and whether it is a
/// literal (a string or a number: what renaming and minifying leave as written) or a name (every
/// name's <see cref="Hash"/> is the same; <see cref="Exact"/> is the hash of the name as written).
/// The kinds are kept as 0 or 1 so that <see cref="Winnowing"/> counts them without a branch.</summary>
public readonly record struct CodeToken
{
    private CodeToken(ulong hash, ulong exact, int offset, int literal, int name)
    {
        Hash = hash;
        Exact = exact;
        Offset = offset;
        LiteralCount = literal;
        NameCount = name;
    }

    /// <summary>A token of structure: a keyword or punctuation.</summary>
    public static CodeToken Structure(ulong hash, int offset) => new(hash, hash, offset, 0, 0);

    public static CodeToken OfLiteral(ulong hash, int offset) => new(hash, hash, offset, 1, 0);

    /// <summary>A name: <paramref name="hash"/> is every name's token, <paramref name="exact"/> this one's.</summary>
    public static CodeToken OfName(ulong hash, ulong exact, int offset) => new(hash, exact, offset, 0, 1);

    public ulong Hash { get; }

    /// <summary>The token with its name as written: what a copy that kept the names shares.</summary>
    public ulong Exact { get; }

    /// <summary>Where the token starts in the text, in bytes.</summary>
    public int Offset { get; }

    /// <summary>1 for a literal, else 0.</summary>
    internal int LiteralCount { get; }

    /// <summary>1 for a name, else 0.</summary>
    internal int NameCount { get; }

    public bool Literal => LiteralCount != 0;
}

/// <summary>
/// Source text as a stream of tokens that survive what copying code usually does to it, for any
/// C-like, scripting or markup language without knowing which: whitespace and comments
/// (<c>//</c>, <c>/* */</c>, <c>#</c> after whitespace, <c>&lt;!-- --&gt;</c>) are dropped, so
/// reformatting and stripping comments change nothing; every identifier that is not a common
/// keyword is the same token, so renaming changes nothing (each name's own hash is kept beside,
/// for the runs too plain to tell apart without their names); separators that printers add or drop
/// (<c>;</c>, <c>,</c>, parentheses) are dropped; string literals count by their content
/// whatever the quotes, and numbers by their text, since those survive minifiers and are what
/// makes one codebase's code unlike another's.
/// </summary>
public static class CodeTokens
{
    private static readonly ulong Identifier = Hash("I"u8, 1);

    /// <summary>Reserved words of the common languages (JavaScript/TypeScript, C#, Java, Python, Go,
    /// C): they carry structure and cannot be renamed, so they stay themselves. Words that are
    /// names in some of those languages (self, get, set, type, int) are names.</summary>
    private static readonly HashSet<string> KeywordSet = new(StringComparer.Ordinal)
    {
        "abstract", "and", "as", "assert", "async", "await", "break", "case", "catch", "class", "const", "continue", "def",
        "default", "defer", "del", "delete", "do", "elif", "else", "enum", "except", "export", "extends", "false", "False",
        "final", "finally", "for", "foreach", "from", "func", "function", "global", "go", "goto", "if", "implements", "import",
        "in", "instanceof", "interface", "internal", "is", "lambda", "let", "namespace", "new", "nil", "None", "nonlocal", "not",
        "null", "of", "or", "override", "package", "pass", "private", "protected", "public", "raise", "readonly", "return",
        "sealed", "static", "struct", "switch", "this", "throw", "throws", "true", "True", "try", "typeof", "using", "var",
        "virtual", "void", "while", "with", "yield",
    };

    /// <summary>The keywords by <see cref="Pack"/>, in a table with one slot per keyword and no
    /// collisions: most tokens are names, so telling a name from a keyword must cost a multiply and
    /// one comparison, not a dictionary lookup.</summary>
    private static readonly KeywordTable Keywords = KeywordTable.Of(KeywordSet);

    private const int LongestKeyword = 10;

    private static readonly SearchValues<byte> Blank = SearchValues.Create(" \t\r\f\v\n"u8);

    /// <summary>Each punctuation byte's token, hashed once: most tokens of code are punctuation.</summary>
    private static readonly ulong[] Punctuation = [.. Enumerable.Range(0, 256).Select(b => Hash([(byte)b], 5))];

    /// <summary>Appends the tokens of <paramref name="text"/> (UTF-8) to <paramref name="tokens"/>.</summary>
    public static void Read(ReadOnlySpan<byte> text, List<CodeToken> tokens)
    {
        Span<CodeToken> chunk = stackalloc CodeToken[256];
        int position = 0;
        while (position < text.Length)
        {
            tokens.AddRange(chunk[..Read(text, ref position, chunk)]);
        }
    }

    /// <summary>Reads the tokens of <paramref name="text"/> (UTF-8) from <paramref name="position"/>
    /// on into <paramref name="into"/>, until it is full or the text ends, and moves
    /// <paramref name="position"/> past them: a text of any length is read in pieces of bounded memory.</summary>
    /// <returns>How many tokens were read.</returns>
    public static int Read(ReadOnlySpan<byte> text, ref int position, Span<CodeToken> into)
    {
        int i = position;
        int count = 0;
        // The tables in locals: read through their static fields, each was loaded again per token.
        byte[] classes = Classes;
        ulong[] punctuation = Punctuation;
        while (i < text.Length && count < into.Length)
        {
            byte c = text[i];
            // One table lookup says what a byte may start: a chain of comparisons cost a
            // mispredicted branch or more per token.
            switch ((ByteClass)classes[c])
            {
                case ByteClass.Blank:
                    // One blank (the usual case) needs no search; indentation does.
                    if (++i < text.Length && Blank.Contains(text[i]))
                    {
                        int blank = text[i..].IndexOfAnyExcept(Blank);
                        i = blank < 0 ? text.Length : i + blank;
                    }
                    continue;
                case ByteClass.Name:
                {
                    int start = i++;
                    i = NameEnd(text, i);
                    var word = text[start..i];
                    into[count++] = Keyword(word, text, start) is var keyword and not 0
                        ? CodeToken.Structure(keyword, start)
                        : CodeToken.OfName(Identifier, Hash(word, 6) | 1, start);
                    // One space after a token is the usual case: stepped over here, not by another
                    // pass through the dispatch.
                    i = SkipOneSpace(text, i);
                    continue;
                }
                case ByteClass.Separator:
                    // Separators that printers add or drop at will (a bundler's semicolons, a
                    // formatter's trailing commas, the parentheses around one arrow parameter)
                    // are layout, not code.
                    i++;
                    continue;
                case ByteClass.Quote:
                {
                    int start = i;
                    i = ReadString(text, i, out var content);
                    into[count++] = CodeToken.OfLiteral(Hash(content, 2), start);
                    continue;
                }
                case ByteClass.Digit:
                    i = ReadNumber(text, i, out into[count++]);
                    continue;
                case ByteClass.Dot when i + 1 < text.Length && IsDigit(text[i + 1]):
                    i = ReadNumber(text, i, out into[count++]);
                    continue;
                case ByteClass.Slash when i + 1 < text.Length && text[i + 1] == (byte)'/':
                    i = LineEnd(text, i);
                    continue;
                case ByteClass.Slash when i + 1 < text.Length && text[i + 1] == (byte)'*':
                    i = SkipTo(text, i + 2, "*/"u8);
                    continue;
                case ByteClass.Less when text[i..].StartsWith("<!--"u8):
                    i = SkipTo(text, i + 4, "-->"u8);
                    continue;
                // '#' starts a comment after whitespace (Python, shell, YAML, Ruby); elsewhere it
                // is code (JavaScript's private fields, C#'s '#if' keeps working as punctuation).
                case ByteClass.NumberSign when i == 0 || text[i - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r':
                    i = LineEnd(text, i);
                    continue;
                default:
                    into[count++] = CodeToken.Structure(punctuation[c], i);
                    i = SkipOneSpace(text, i + 1);
                    continue;
            }
        }
        position = i;
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipOneSpace(ReadOnlySpan<byte> text, int i) => i < text.Length && text[i] == (byte)' ' ? i + 1 : i;

    /// <summary>Where the name that goes on at <paramref name="i"/> ends: sixteen bytes at a time
    /// (letters, digits, '_', '$' and every byte of a UTF-8 sequence go on a name), so that a
    /// name's end costs no mispredicted branch of a loop over its bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NameEnd(ReadOnlySpan<byte> text, int i)
    {
        ref byte first = ref MemoryMarshal.GetReference(text);
        while (i + Vector128<byte>.Count <= text.Length)
        {
            var v = Vector128.LoadUnsafe(ref first, (nuint)i);
            var name = Vector128.LessThan((v | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a'), Vector128.Create((byte)26))
                | Vector128.LessThan(v - Vector128.Create((byte)'0'), Vector128.Create((byte)10))
                | Vector128.Equals(v, Vector128.Create((byte)'_'))
                | Vector128.Equals(v, Vector128.Create((byte)'$'))
                | Vector128.GreaterThanOrEqual(v, Vector128.Create((byte)0x80));
            uint stop = ~name.ExtractMostSignificantBits() & 0xFFFF;
            if (stop != 0)
            {
                return i + BitOperations.TrailingZeroCount(stop);
            }
            i += Vector128<byte>.Count;
        }
        while (i < text.Length && Classes[text[i]] >= (byte)ByteClass.Digit)
        {
            i++;
        }
        return i;
    }

    /// <summary>A number from its first digit (or the dot before one): digits, letters (hex,
    /// suffixes, exponents) and dots.</summary>
    private static int ReadNumber(ReadOnlySpan<byte> text, int start, out CodeToken token)
    {
        int i = start + 1;
        while (i < text.Length && Classes[text[i]] >= (byte)ByteClass.Dot)
        {
            i++;
        }
        token = CodeToken.OfLiteral(Hash(text[start..i], 3), start);
        return i;
    }

    /// <summary>What a byte may start. The last three, in this order, are what a number goes on
    /// with (a dot, a digit, a letter) and the last two what a name goes on with.</summary>
    private enum ByteClass : byte
    {
        Punctuation,
        Blank,
        Separator,
        Quote,
        Slash,
        Less,
        NumberSign,
        Dot,
        Digit,
        Name,
    }

    private static readonly byte[] Classes = BuildClasses();

    private static byte[] BuildClasses()
    {
        var classes = new byte[256];
        foreach (byte b in " \t\r\f\v"u8)
        {
            classes[b] = (byte)ByteClass.Blank;
        }
        foreach (byte b in ";,()"u8)
        {
            classes[b] = (byte)ByteClass.Separator;
        }
        foreach (byte b in "\"'`"u8)
        {
            classes[b] = (byte)ByteClass.Quote;
        }
        for (int b = 0; b < 256; b++)
        {
            classes[b] = b is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' or '$' or >= 0x80 ? (byte)ByteClass.Name
                : b is >= '0' and <= '9' ? (byte)ByteClass.Digit
                : classes[b];
        }
        classes['\n'] = (byte)ByteClass.Blank;
        classes['/'] = (byte)ByteClass.Slash;
        classes['<'] = (byte)ByteClass.Less;
        classes['#'] = (byte)ByteClass.NumberSign;
        classes['.'] = (byte)ByteClass.Dot;
        return classes;
    }

    /// <summary>JavaScript's three declarations as one: bundlers turn <c>const</c> into <c>var</c>.</summary>
    private static ReadOnlySpan<byte> Declaration(ReadOnlySpan<byte> keyword) =>
        keyword.SequenceEqual("let"u8) || keyword.SequenceEqual("const"u8) ? "var"u8 : keyword;

    /// <summary>The keyword's token, or 0 for a name. <paramref name="word"/> starts at
    /// <paramref name="start"/> of <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Keyword(ReadOnlySpan<byte> word, ReadOnlySpan<byte> text, int start)
    {
        if (word.Length > LongestKeyword || word.Length < 2)
        {
            return 0;
        }
        // Eight bytes at once where the text has them; the bytes past the word are masked off.
        ulong packed = start + 8 <= text.Length
            ? BinaryPrimitives.ReadUInt64LittleEndian(text[start..]) & (ulong.MaxValue >> (8 * (8 - Math.Min(7, word.Length))))
              | (ulong)word.Length << 56
            : Pack(word);
        return Keywords.Find(packed, word);
    }

    /// <summary>Up to the first seven bytes of a short word and its length, as one number.</summary>
    private static ulong Pack(ReadOnlySpan<byte> word)
    {
        ulong packed = (ulong)word.Length << 56;
        for (int j = 0; j < Math.Min(7, word.Length); j++)
        {
            packed |= (ulong)word[j] << (8 * j);
        }
        return packed;
    }

    /// <summary>Keywords by their <see cref="Pack"/>ed form, each in the slot a multiplier found
    /// at start-up gives it alone.</summary>
    private sealed class KeywordTable(ulong multiplier, int shift, ulong[] keys, ulong[] tokens, byte[][] words)
    {
        public static KeywordTable Of(IEnumerable<string> keywords)
        {
            byte[][] all = [.. keywords.Select(Encoding.ASCII.GetBytes)];
            const int Bits = 10;
            // Odd multipliers from a fixed sequence until one puts every keyword in a slot of its own.
            for (ulong multiplier = 0x9E3779B97F4A7C15; ; multiplier += 0x2545F4914F6CDD1E)
            {
                var keys = new ulong[1 << Bits];
                var tokens = new ulong[1 << Bits];
                var words = new byte[1 << Bits][];
                bool clash = false;
                foreach (byte[] word in all)
                {
                    ulong packed = Pack(word);
                    int slot = (int)((packed * (multiplier | 1)) >> (64 - Bits));
                    if (keys[slot] != 0)
                    {
                        clash = true;
                        break;
                    }
                    (keys[slot], tokens[slot], words[slot]) = (packed, Hash(Declaration(word), 4), word);
                }
                if (!clash)
                {
                    return new KeywordTable(multiplier | 1, 64 - Bits, keys, tokens, words);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Find(ulong packed, ReadOnlySpan<byte> word)
        {
            int slot = (int)((packed * multiplier) >> shift);
            // Seven bytes and the length tell a keyword of up to seven letters; longer ones are compared.
            return keys[slot] == packed && (word.Length <= 7 || word.SequenceEqual(words[slot])) ? tokens[slot] : 0;
        }
    }

    /// <summary>A quoted string from its opening quote: Python's triple quotes and JavaScript's
    /// template literals may span lines, other strings end at the line. Escapes are skipped over,
    /// not decoded: the same source writes them the same way.</summary>
    private static int ReadString(ReadOnlySpan<byte> text, int i, out ReadOnlySpan<byte> content)
    {
        byte quote = text[i];
        ReadOnlySpan<byte> three = [quote, quote, quote];
        bool triple = quote != (byte)'`' && text[i..].StartsWith(three);
        bool multiline = triple || quote == (byte)'`';
        int open = triple ? 3 : 1;
        int j = i + open;
        int start = j;
        while (j < text.Length)
        {
            byte b = text[j];
            if (b == (byte)'\\')
            {
                j += 2;
                continue;
            }
            if (b == (byte)'\n' && !multiline)
            {
                break;
            }
            if (b == quote && (!triple || text[j..].StartsWith(three)))
            {
                content = text[start..j];
                return j + open;
            }
            j++;
        }
        j = Math.Min(j, text.Length);
        content = text[start..j];
        return j;
    }

    private static int LineEnd(ReadOnlySpan<byte> text, int i)
    {
        int end = text[i..].IndexOf((byte)'\n');
        return end < 0 ? text.Length : i + end;
    }

    private static int SkipTo(ReadOnlySpan<byte> text, int i, ReadOnlySpan<byte> close)
    {
        int end = text[i..].IndexOf(close);
        return end < 0 ? text.Length : i + end + close.Length;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static ulong Hash(ReadOnlySpan<byte> bytes, long kind) => XxHash3.HashToUInt64(bytes, kind);
}
