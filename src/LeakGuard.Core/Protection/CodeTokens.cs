using System.Buffers;
using System.Text;
using System.IO.Hashing;

namespace LeakGuard.Core.Protection;

/// <summary>One token of normalised source: its hash, the line it starts on, and whether it is a
/// literal (a string or a number: what renaming and minifying leave as written). A name's
/// <see cref="Name"/> is the hash of the name as written (every name's <see cref="Hash"/> is the
/// same); 0 for every other token.</summary>
public readonly record struct CodeToken(ulong Hash, int Line, bool Literal = false, ulong Name = 0)
{
    /// <summary>The token with its name as written: what a copy that kept the names shares.</summary>
    public ulong Exact => Name != 0 ? Name : Hash;
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

    /// <summary>The keywords by <see cref="Pack"/>, with their tokens: most tokens are names, so
    /// telling a name from a keyword must cost a lookup of one number, not a string.</summary>
    private static readonly Dictionary<ulong, (byte[] Word, ulong Token)> Keywords = KeywordSet.ToDictionary(
        k => Pack(Encoding.ASCII.GetBytes(k)), k => (Encoding.ASCII.GetBytes(k), Hash(Declaration(Encoding.ASCII.GetBytes(k)), 4)));

    private static readonly SearchValues<byte> IdentifierBytes =
        SearchValues.Create([.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$"u8, .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    private static readonly SearchValues<byte> Blank = SearchValues.Create(" \t\r\f\v"u8);

    /// <summary>Each punctuation byte's token, hashed once: most tokens of code are punctuation.</summary>
    private static readonly ulong[] Punctuation = [.. Enumerable.Range(0, 256).Select(b => Hash([(byte)b], 5))];

    /// <summary>Appends the tokens of <paramref name="text"/> (UTF-8) to <paramref name="tokens"/>.</summary>
    public static void Read(ReadOnlySpan<byte> text, List<CodeToken> tokens)
    {
        int line = 1;
        int i = 0;
        while (i < text.Length)
        {
            byte c = text[i];
            if (c == (byte)'\n')
            {
                line++;
                i++;
                continue;
            }
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\f' or (byte)'\v')
            {
                // One blank (the usual case) needs no search; indentation does.
                if (++i < text.Length && Blank.Contains(text[i]))
                {
                    int blank = text[i..].IndexOfAnyExcept(Blank);
                    i = blank < 0 ? text.Length : i + blank;
                }
                continue;
            }
            byte next = i + 1 < text.Length ? text[i + 1] : (byte)0;
            if (c == (byte)'/' && next == (byte)'/')
            {
                i = LineEnd(text, i);
                continue;
            }
            if (c == (byte)'/' && next == (byte)'*')
            {
                i = SkipTo(text, i + 2, "*/"u8, ref line);
                continue;
            }
            if (c == (byte)'<' && text[i..].StartsWith("<!--"u8))
            {
                i = SkipTo(text, i + 4, "-->"u8, ref line);
                continue;
            }
            // '#' starts a comment after whitespace (Python, shell, YAML, Ruby); elsewhere it is
            // code (JavaScript's private fields, C#'s '#if' keeps working as punctuation).
            if (c == (byte)'#' && (i == 0 || text[i - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                i = LineEnd(text, i);
                continue;
            }
            int start = i;
            int startLine = line;
            if (c is (byte)'"' or (byte)'\'' or (byte)'`')
            {
                i = ReadString(text, i, ref line, out var content);
                tokens.Add(new CodeToken(Hash(content, 2), startLine, Literal: true));
                continue;
            }
            if (IsDigit(c) || (c == (byte)'.' && IsDigit(next)))
            {
                while (i < text.Length && (IsIdentifierPart(text[i]) || text[i] == (byte)'.'))
                {
                    i++;
                }
                tokens.Add(new CodeToken(Hash(text[start..i], 3), startLine, Literal: true));
                continue;
            }
            if (IsIdentifierStart(c))
            {
                int length = text[i..].IndexOfAnyExcept(IdentifierBytes);
                i = length < 0 ? text.Length : i + length;
                var word = text[start..i];
                tokens.Add(Keyword(word) is { } keyword ? new CodeToken(keyword, startLine) : new CodeToken(Identifier, startLine, Name: Hash(word, 6) | 1));
                continue;
            }
            // Separators that printers add or drop at will (a bundler's semicolons, a formatter's
            // trailing commas, the parentheses around one arrow parameter) are layout, not code.
            if (c is not ((byte)';' or (byte)',' or (byte)'(' or (byte)')'))
            {
                tokens.Add(new CodeToken(Punctuation[c], startLine));
            }
            i++;
        }
    }

    /// <summary>JavaScript's three declarations as one: bundlers turn <c>const</c> into <c>var</c>.</summary>
    private static ReadOnlySpan<byte> Declaration(ReadOnlySpan<byte> keyword) =>
        keyword.SequenceEqual("let"u8) || keyword.SequenceEqual("const"u8) ? "var"u8 : keyword;

    /// <summary>The keyword's token, or null for a name.</summary>
    private static ulong? Keyword(ReadOnlySpan<byte> word) =>
        word.Length <= 10 && Keywords.TryGetValue(Pack(word), out var keyword) && word.SequenceEqual(keyword.Word) ? keyword.Token : null;

    /// <summary>Up to the first eight bytes of a short word and its length, as one number.</summary>
    private static ulong Pack(ReadOnlySpan<byte> word)
    {
        ulong packed = (ulong)word.Length << 56;
        for (int j = 0; j < Math.Min(7, word.Length); j++)
        {
            packed |= (ulong)word[j] << (8 * j);
        }
        return packed;
    }

    /// <summary>A quoted string from its opening quote: Python's triple quotes and JavaScript's
    /// template literals may span lines, other strings end at the line. Escapes are skipped over,
    /// not decoded: the same source writes them the same way.</summary>
    private static int ReadString(ReadOnlySpan<byte> text, int i, ref int line, out ReadOnlySpan<byte> content)
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
            if (b == (byte)'\n')
            {
                if (!multiline)
                {
                    break;
                }
                line++;
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

    private static int SkipTo(ReadOnlySpan<byte> text, int i, ReadOnlySpan<byte> close, ref int line)
    {
        int end = text[i..].IndexOf(close);
        int stop = end < 0 ? text.Length : i + end + close.Length;
        line += text[i..stop].Count((byte)'\n');
        return stop;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsIdentifierStart(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or (byte)'$' or >= 0x80;

    private static bool IsIdentifierPart(byte b) => IsIdentifierStart(b) || IsDigit(b);

    private static ulong Hash(ReadOnlySpan<byte> bytes, long kind) => XxHash3.HashToUInt64(bytes, kind);
}
