using System.Buffers.Binary;

namespace LeakGuard.Matching;

/// <summary>
/// Finds every occurrence of every keyword, ignoring ASCII case, in one pass: the managed
/// engine's prefilter. Each position's first four bytes, case-folded, are hashed into a
/// 64 Kibit filter of the keywords of four bytes or more, and its first three into one of the
/// three-byte keywords; only filter hits are compared with the keywords that share that hash.
/// Four bytes, not three, because many keywords begin with a trigram that ordinary text is full
/// of (<c>str…</c>, <c>enc…</c>, <c>ram…</c>), and every such position was compared.
/// (SearchValues&lt;string&gt; was fast here only up to about 24 keywords; rule sets have hundreds.)
/// </summary>
internal sealed class KeywordScanner
{
    private const int HashBits = 16;
    private static readonly byte[] Fold = BuildFold();

    private readonly byte[][] _keywords;
    private readonly Filter _long = new();
    private readonly Filter _short = new();

    /// <summary>A bit per hash, and the keywords behind each hash.</summary>
    private sealed class Filter
    {
        public readonly ulong[] Bits = new ulong[(1 << HashBits) / 64];
        public readonly int[][] Buckets = new int[1 << HashBits][];
        public bool Empty = true;

        public void Build(byte[][] keywords, Func<byte[], uint?> key)
        {
            var buckets = new List<int>?[1 << HashBits];
            for (int k = 0; k < keywords.Length; k++)
            {
                if (key(keywords[k]) is { } folded)
                {
                    uint h = Hash(folded);
                    Bits[h >> 6] |= 1UL << (int)(h & 63);
                    (buckets[h] ??= []).Add(k);
                    Empty = false;
                }
            }
            for (int h = 0; h < buckets.Length; h++)
            {
                Buckets[h] = buckets[h]?.ToArray() ?? [];
            }
        }

        public bool Has(uint h) => (Bits[h >> 6] & (1UL << (int)(h & 63))) != 0;
    }

    public KeywordScanner(byte[][] keywords)
    {
        _keywords = keywords;
        _long.Build(keywords, k => k.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(k) | 0x20202020 : null);
        _short.Build(keywords, k => k.Length == 3 ? Key(k[0], k[1], k[2]) : null);
    }

    /// <summary>Adds every keyword occurrence, in order of position, to <paramref name="windows"/>.</summary>
    public void Scan(ReadOnlySpan<byte> data, CandidateWindows windows)
    {
        int last = data.Length - 3;
        int i = 0;
        bool shortKeywords = !_short.Empty;
        // Fast path: one unaligned 4-byte read per position.
        for (; i < last; i++)
        {
            uint word = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]) | 0x20202020;
            uint h = Hash(word);
            if (_long.Has(h))
            {
                Verify(data, i, _long.Buckets[h], windows);
            }
            if (shortKeywords)
            {
                uint h3 = Hash(word & 0x00FFFFFF);
                if (_short.Has(h3))
                {
                    Verify(data, i, _short.Buckets[h3], windows);
                }
            }
        }
        // The last three bytes hold no keyword of four.
        for (; i <= last; i++)
        {
            uint h3 = Hash(Key(data[i], data[i + 1], data[i + 2]));
            if (_short.Has(h3))
            {
                Verify(data, i, _short.Buckets[h3], windows);
            }
        }
    }

    private void Verify(ReadOnlySpan<byte> data, int at, int[] bucket, CandidateWindows windows)
    {
        foreach (int k in bucket)
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
