using System.Runtime.CompilerServices;

namespace LeakGuard.Core.Protection;

/// <summary>A winnowed fingerprint: the hash of <see cref="Winnowing.K"/> consecutive tokens and
/// the lines they span.</summary>
public readonly record struct CodeFingerprint(ulong Hash, int StartLine, int EndLine);

/// <summary>A fingerprint as winnowing keeps it: the hash of <see cref="Winnowing.K"/> tokens and
/// the offsets in the text of the first and the last (<see cref="TextLines"/> turns them into lines
/// when they are wanted).</summary>
public readonly record struct KeptRun(ulong Hash, int StartOffset, int EndOffset);

/// <summary>
/// Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003) over <see cref="CodeTokens"/>: the hash
/// of every run of <see cref="K"/> tokens, and of each <see cref="W"/> consecutive hashes the
/// smallest (the rightmost on a tie) is kept. Two texts sharing a run of at least
/// <see cref="K"/> + <see cref="W"/> - 1 tokens share a kept fingerprint, whatever surrounds the
/// run; runs shorter than <see cref="K"/> are never matched. K is long enough that a run of
/// normalised tokens (every name the same token) is specific to its code, not to a language's
/// idiom; both were chosen by measurement (docs/protected-code.md).
/// </summary>
public static class Winnowing
{
    public const int K = 40;
    public const int W = 12;

    /// <summary>Distinct tokens of structure a run must hold, and literals (strings, numbers), for
    /// the run to say anything about whose code it is: a list of names, an import list, a table of
    /// numbered constants or a compiler's interop glue looks the same in every codebase once names
    /// are one token. Measured on the precision corpus (docs/protected-code.md).</summary>
    public const int MinDistinct = 6;
    public const int MinLiterals = 1;

    /// <summary>A run without a literal is fingerprinted with its names as written when it holds at
    /// least this many different names: plain code (a loop over a list, a chain of calls) is the
    /// same in every codebase once names are one token, but not with its own names. Such a
    /// fingerprint finds copies that kept the names (a pasted snippet), not renamed ones; renamed
    /// copies are found by the runs with literals, as before.</summary>
    public const int MinNames = 4;

    /// <summary>What fingerprints mean, written in every index: an index made under another scheme
    /// never meets these fingerprints. 2: runs with literals normalised, plain runs with their names.</summary>
    public const int Scheme = 2;

    /// <summary>Set in the hash of a run fingerprinted with its names, so it never equals a normalised one.</summary>
    private const ulong NamedRun = 0x9E3779B97F4A7C15;

    /// <summary>Marks a run that is not fingerprinted; never the smallest of a window that has another.</summary>
    private const ulong Uninformative = ulong.MaxValue;

    /// <summary>The multiplier of the rolling hash (odd, so every power is invertible mod 2^64).</summary>
    private const ulong Base = 0x100000001B3;

    private static readonly ulong BaseToK = Power(Base, K);

    /// <summary>Tokens read and winnowed at a time: what a thread holds, whatever the text's length
    /// (a 60 MB bundle held all its tokens at once, 32 bytes each: 0.8 GB).</summary>
    private const int Chunk = 4096;

    /// <summary>One thread's memory for <see cref="Fingerprints"/>: each chunk of tokens after the
    /// last <see cref="K"/> of the one before, and each chunk's runs after the last
    /// <see cref="W"/> - 1 runs before them (with their hashes, first and last offsets).</summary>
    private sealed class Buffers
    {
        public readonly CodeToken[] Tokens = new CodeToken[K + Chunk];
        public readonly ulong[] Hashes = new ulong[W + Chunk];
        public readonly int[] Starts = new int[W + Chunk];
        public readonly int[] Ends = new int[W + Chunk];
    }

    [ThreadStatic]
    private static Buffers? t_buffers;

    /// <summary>Appends the fingerprints of <paramref name="text"/> to <paramref name="fingerprints"/>,
    /// reading its tokens a chunk at a time.</summary>
    public static void Fingerprints(ReadOnlySpan<byte> text, List<KeptRun> fingerprints) => Fingerprints(text, fingerprints, Chunk);

    /// <param name="chunk">Tokens read at a time, at most <see cref="Chunk"/> (tests: the pieces must not show).</param>
    internal static void Fingerprints(ReadOnlySpan<byte> text, List<KeptRun> fingerprints, int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunk, Chunk);
        var buffers = t_buffers ??= new Buffers();
        Span<CodeToken> tokens = buffers.Tokens;
        Span<ulong> hashes = buffers.Hashes;
        Span<int> starts = buffers.Starts;
        Span<int> ends = buffers.Ends;
        // Distinct tokens of structure (names, keywords, punctuation; not literals) are counted
        // by a byte of their hash: exact enough to tell a table of constants or a list of names
        // from code, and no dictionary per token. The loop has no branch on a token's kind:
        // kinds follow each other at random in code, and each mispredicted branch cost more
        // than the arithmetic that replaces it.
        Span<byte> seen = stackalloc byte[256];
        Span<byte> names = stackalloc byte[256];
        seen.Clear();
        names.Clear();
        int distinct = 0;
        int distinctNames = 0;
        int literals = 0;
        ulong rolling = 0;
        ulong exact = 0;
        int read = 0;       // tokens read so far: tokens[carried] is the next one read
        int carried = 0;    // tokens of earlier chunks at the front of tokens
        int runs = 0;       // runs hashed so far
        int firstHeld = 0;  // the run hashes[0] holds
        int smallest = -1;  // runs, counted from the text's first
        int last = -1;
        int position = 0;
        while (position < text.Length)
        {
            int count = CodeTokens.Read(text, ref position, tokens.Slice(carried, chunk));
            int held = runs - firstHeld;
            for (int t = carried; t < carried + count; t++)
            {
                int i = read + t - carried;
                ref readonly var token = ref tokens[t];
                rolling = rolling * Base + token.Hash;
                exact = exact * Base + token.Exact;
                literals += token.LiteralCount;
                int structure = 1 - token.LiteralCount;
                ref byte kind = ref seen[(int)(token.Hash >> 56)];
                distinct += structure & (kind == 0 ? 1 : 0);
                kind += (byte)structure;
                ref byte name = ref names[(int)(token.Exact >> 56)];
                distinctNames += token.NameCount & (name == 0 ? 1 : 0);
                name += (byte)token.NameCount;
                if (i >= K)
                {
                    ref readonly var old = ref tokens[t - K];
                    rolling -= old.Hash * BaseToK;
                    exact -= old.Exact * BaseToK;
                    literals -= old.LiteralCount;
                    int oldStructure = 1 - old.LiteralCount;
                    ref byte oldKind = ref seen[(int)(old.Hash >> 56)];
                    oldKind -= (byte)oldStructure;
                    distinct -= oldStructure & (oldKind == 0 ? 1 : 0);
                    ref byte oldName = ref names[(int)(old.Exact >> 56)];
                    oldName -= (byte)old.NameCount;
                    distinctNames -= old.NameCount & (oldName == 0 ? 1 : 0);
                }
                if (i >= K - 1)
                {
                    // Normalised when the run holds a literal, else with its names; uninformative
                    // runs are all ones. Selected by masks, for the reason above.
                    ulong hasLiteral = 0UL - (ulong)(literals >= MinLiterals ? 1 : 0);
                    ulong hash = Mix(exact ^ NamedRun ^ ((rolling ^ exact ^ NamedRun) & hasLiteral));
                    int informative = (distinct >= MinDistinct ? 1 : 0) & ((literals >= MinLiterals ? 1 : 0) | (distinctNames >= MinNames ? 1 : 0));
                    hashes[held] = hash | (0UL - (ulong)(1 - informative));
                    starts[held] = tokens[t - K + 1].Offset;
                    ends[held] = token.Offset;
                    held++;
                }
            }
            // The smallest hash of each window of W, the rightmost on a tie; the window is searched
            // again only when its smallest slides out (the paper's robust winnowing, linear time).
            for (int end = runs; end < firstHeld + held; end++)
            {
                int start = Math.Max(0, end - W + 1);
                if (smallest < start)
                {
                    smallest = start;
                    for (int j = smallest + 1; j <= end; j++)
                    {
                        if (hashes[j - firstHeld] <= hashes[smallest - firstHeld])
                        {
                            smallest = j;
                        }
                    }
                }
                else if (hashes[end - firstHeld] <= hashes[smallest - firstHeld])
                {
                    smallest = end;
                }
                if (end >= W - 1)
                {
                    last = Keep(buffers, smallest - firstHeld, smallest, last, fingerprints);
                }
            }
            runs = firstHeld + held;
            read += count;
            // The last K tokens and W - 1 runs go on to the next chunk.
            int keepTokens = Math.Min(K, carried + count);
            tokens.Slice(carried + count - keepTokens, keepTokens).CopyTo(tokens);
            carried = keepTokens;
            int keepRuns = Math.Min(W - 1, held);
            hashes.Slice(held - keepRuns, keepRuns).CopyTo(hashes);
            starts.Slice(held - keepRuns, keepRuns).CopyTo(starts);
            ends.Slice(held - keepRuns, keepRuns).CopyTo(ends);
            firstHeld = runs - keepRuns;
        }
        // A text of fewer than W runs keeps the smallest of them all.
        if (runs is > 0 and < W)
        {
            Keep(buffers, smallest - firstHeld, smallest, last, fingerprints);
        }
    }

    /// <summary>Keeps <paramref name="run"/> (at <paramref name="held"/> in the buffers) unless it
    /// was the <paramref name="last"/> kept or is uninformative.</summary>
    /// <returns>The last run kept.</returns>
    private static int Keep(Buffers buffers, int held, int run, int last, List<KeptRun> fingerprints)
    {
        if (run == last || buffers.Hashes[held] == Uninformative)
        {
            return last;
        }
        fingerprints.Add(new KeptRun(buffers.Hashes[held], buffers.Starts[held], buffers.Ends[held]));
        return run;
    }

    /// <summary>The fingerprints of one text, with their lines.</summary>
    public static List<CodeFingerprint> Of(ReadOnlySpan<byte> text)
    {
        var kept = t_kept ??= [];
        kept.Clear();
        Fingerprints(text, kept);
        // Kept runs start and end in the order of the text: two counts of newlines that move
        // forward, each over the bytes between one run and the next.
        var fingerprints = new List<CodeFingerprint>(kept.Count);
        int startLine = 1, startAt = 0, endLine = 1, endAt = 0;
        foreach (var run in kept)
        {
            startLine += text[startAt..run.StartOffset].Count((byte)'\n');
            startAt = run.StartOffset;
            endLine += text[endAt..run.EndOffset].Count((byte)'\n');
            endAt = run.EndOffset;
            fingerprints.Add(new CodeFingerprint(run.Hash, startLine, endLine));
        }
        return fingerprints;
    }

    // Building an index fingerprints tens of thousands of files on each thread.
    [ThreadStatic]
    private static List<KeptRun>? t_kept;

    /// <summary>Spreads a polynomial hash's bits so that "smallest" picks evenly (the finaliser of MurmurHash3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        h ^= h >> 33;
        return h;
    }

    private static ulong Power(ulong b, int e)
    {
        ulong result = 1;
        for (int i = 0; i < e; i++)
        {
            result *= b;
        }
        return result;
    }
}
