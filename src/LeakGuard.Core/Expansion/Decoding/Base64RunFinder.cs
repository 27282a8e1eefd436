using System.Runtime.Intrinsics;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Finds, in one left-to-right pass with <see cref="Base64Alphabet"/>'s table, the maximal runs of
/// base64 symbols (up to two '=' of padding end a run) that could be base64-encoded text. A run is
/// passed over when it
/// <list type="bullet">
/// <item>is shorter than the minimum;</item>
/// <item>lacks either upper- or lower-case letters: base64 of text this long has both in
/// practice (none of 80,000 samples of 18 to 60 bytes of this repository's code and docs lacked
/// either), while snake_case and CONSTANT_CASE names, lower-case words and paths, numbers and
/// lower-case hex digests are exactly such runs;</item>
/// <item>is all hex digits: digests and ids, which base64 of text practically never is;</item>
/// <item>mixes '+' or '/' with '-' or '_': no single alphabet has all four, and such runs are
/// paths and identifiers glued together.</item>
/// </list>
/// </summary>
internal ref struct Base64RunFinder
{
    private readonly ReadOnlySpan<byte> _content;
    private readonly int _minimumLength;
    private int _position;

    public Base64RunFinder(ReadOnlySpan<byte> content, int minimumLength)
    {
        _content = content;
        _minimumLength = minimumLength;
    }

    /// <summary>Goes on from <paramref name="position"/> (never back): what lies before it was
    /// decoded as part of a larger value.</summary>
    public void ResumeAt(int position) => _position = Math.Max(_position, position);

    /// <summary>The next candidate run (symbols only, padding excluded), or false at the end.
    /// Runs shorter than the minimum are skipped without reading every byte: any run of at least
    /// the minimum length that starts at or after <c>i</c> covers position <c>i + minimum - 1</c>,
    /// so when that byte is not a symbol the whole stretch up to it is passed over at once.</summary>
    public bool TryNext(out int start, out int length)
    {
        var content = _content;
        int i = SkipQuietBlocks(content, _position); // invariant: no run extends to the left of i
        while (i + _minimumLength - 1 < content.Length)
        {
            int probe = i + _minimumLength - 1;
            if (Base64Alphabet.Classify(content[probe]) == Base64Alphabet.SymbolClass.None)
            {
                i = probe + 1;
                continue;
            }
            int runStart = probe;
            while (runStart > i && Base64Alphabet.Classify(content[runStart - 1]) != Base64Alphabet.SymbolClass.None)
            {
                runStart--;
            }
            int runEnd = probe + 1;
            while (runEnd < content.Length && Base64Alphabet.Classify(content[runEnd]) != Base64Alphabet.SymbolClass.None)
            {
                runEnd++;
            }
            i = runEnd;
            for (int padding = 0; padding < 2 && i < content.Length && content[i] == '='; padding++)
            {
                i++;
            }
            if (runEnd - runStart >= _minimumLength && CouldBeEncodedText(Classes(content[runStart..runEnd])))
            {
                _position = i;
                start = runStart;
                length = runEnd - runStart;
                return true;
            }
            // Passed over (a long identifier, a path): back to skipping quiet text in blocks, or
            // the rest of the blob would be walked a byte at a time.
            i = SkipQuietBlocks(content, i);
        }
        _position = content.Length;
        start = length = 0;
        return false;
    }

    /// <summary>
    /// Skips, 32 bytes at a time with SIMD, text where no 24 symbols stand in a row: the first 24
    /// symbols of any run lie within two neighbouring blocks, so each block is tested together with
    /// the one before it. Scanning resumes at the start of that earlier block; no run of 24 or more
    /// can reach left of it, or an earlier pair would have held it.
    /// </summary>
    private int SkipQuietBlocks(ReadOnlySpan<byte> content, int from)
    {
        const int Block = 32;
        if (!Vector256.IsHardwareAccelerated || _minimumLength < 24)
        {
            return from;
        }
        ulong previous = 0;
        int i = from;
        for (; i + Block <= content.Length; i += Block)
        {
            ulong pair = previous | ((ulong)SymbolMask(Vector256.Create(content.Slice(i, Block))) << Block);
            ulong two = pair & (pair >> 1);
            ulong four = two & (two >> 2);
            ulong eight = four & (four >> 4);
            ulong sixteen = eight & (eight >> 8);
            if ((sixteen & (eight >> 16)) != 0)
            {
                return Math.Max(from, i - Block);
            }
            previous = pair >> Block;
        }
        return Math.Max(from, i - Block);
    }

    /// <summary>One bit per byte: set for A–Z, a–z, 0–9, '+', '/', '-', '_'.</summary>
    private static uint SymbolMask(Vector256<byte> bytes)
    {
        var letter = Vector256.LessThanOrEqual(Vector256.Subtract(bytes | Vector256.Create((byte)0x20), Vector256.Create((byte)'a')), Vector256.Create((byte)25));
        var digit = Vector256.LessThanOrEqual(Vector256.Subtract(bytes, Vector256.Create((byte)'0')), Vector256.Create((byte)9));
        var extra = Vector256.Equals(bytes, Vector256.Create((byte)'+')) | Vector256.Equals(bytes, Vector256.Create((byte)'/'))
            | Vector256.Equals(bytes, Vector256.Create((byte)'-')) | Vector256.Equals(bytes, Vector256.Create((byte)'_'));
        return (letter | digit | extra).ExtractMostSignificantBits();
    }

    private static Base64Alphabet.SymbolClass Classes(ReadOnlySpan<byte> run)
    {
        var seen = Base64Alphabet.SymbolClass.None;
        foreach (byte c in run)
        {
            seen |= Base64Alphabet.Classify(c);
        }
        return seen;
    }

    private static bool CouldBeEncodedText(Base64Alphabet.SymbolClass seen)
    {
        const Base64Alphabet.SymbolClass MixedCase = Base64Alphabet.SymbolClass.Upper | Base64Alphabet.SymbolClass.Lower;
        const Base64Alphabet.SymbolClass BothAlphabets = Base64Alphabet.SymbolClass.StandardOnly | Base64Alphabet.SymbolClass.UrlSafeOnly;
        return (seen & MixedCase) == MixedCase
            && (seen & Base64Alphabet.SymbolClass.NotHex) != 0
            && (seen & BothAlphabets) != BothAlphabets;
    }
}
