using System.Buffers.Binary;

namespace LeakGuard.Matching;

/// <summary>
/// Finds every occurrence of every keyword, ignoring ASCII case, in one pass: the managed
/// engine's prefilter. Each position's first three bytes, case-folded, are hashed into a
/// 64 Kibit filter; only filter hits are compared with the keywords that share that hash.
/// (SearchValues&lt;string&gt; was fast here only up to about 24 keywords; rule sets have hundreds.)
/// </summary>
internal sealed class KeywordScanner
{
    private const int HashBits = 16;
    private static readonly byte[] Fold = BuildFold();

    private readonly byte[][] _keywords;
    private readonly ulong[] _filter = new ulong[(1 << HashBits) / 64];
    private readonly int[][] _buckets = new int[1 << HashBits][];

    public KeywordScanner(byte[][] keywords)
    {
        _keywords = keywords;
        var buckets = new List<int>?[1 << HashBits];
        for (int k = 0; k < keywords.Length; k++)
        {
            uint h = Hash(Key(keywords[k][0], keywords[k][1], keywords[k][2]));
            _filter[h >> 6] |= 1UL << (int)(h & 63);
            (buckets[h] ??= []).Add(k);
        }
        for (int h = 0; h < buckets.Length; h++)
        {
            _buckets[h] = buckets[h]?.ToArray() ?? [];
        }
    }

    /// <summary>Adds every keyword occurrence, in order of position, to <paramref name="windows"/>.</summary>
    public void Scan(ReadOnlySpan<byte> data, CandidateWindows windows)
    {
        int last = data.Length - 3;
        int i = 0;
        // Fast path: one unaligned 4-byte read per position.
        for (; i < last; i++)
        {
            uint word = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            uint h = Hash((word & 0x00FFFFFF) | 0x00202020);
            if ((_filter[h >> 6] & (1UL << (int)(h & 63))) != 0)
            {
                Verify(data, i, h, windows);
            }
        }
        for (; i <= last; i++)
        {
            uint h = Hash(Key(data[i], data[i + 1], data[i + 2]) | 0x00202020);
            if ((_filter[h >> 6] & (1UL << (int)(h & 63))) != 0)
            {
                Verify(data, i, h, windows);
            }
        }
    }

    private void Verify(ReadOnlySpan<byte> data, int at, uint hash, CandidateWindows windows)
    {
        foreach (int k in _buckets[hash])
        {
            byte[] keyword = _keywords[k];
            if (at + keyword.Length > data.Length)
            {
                continue;
            }
            int j = 0;
            while (j < keyword.Length && Fold[data[at + j]] == keyword[j])
            {
                j++;
            }
            if (j == keyword.Length)
            {
                windows.AddKeywordHit(k, at);
            }
        }
    }

    // Keywords are stored folded to lower case; |0x20 folds letters the same way (and maps a few
    // other bytes together, which only makes the filter looser, never misses a keyword).
    private static uint Key(byte a, byte b, byte c) => ((uint)a | ((uint)b << 8) | ((uint)c << 16)) | 0x00202020;

    private static uint Hash(uint key) => (key * 2654435761u) >> (32 - HashBits);

    private static byte[] BuildFold()
    {
        var fold = new byte[256];
        for (int b = 0; b < 256; b++)
        {
            fold[b] = b is >= 'A' and <= 'Z' ? (byte)(b | 0x20) : (byte)b;
        }
        return fold;
    }
}
