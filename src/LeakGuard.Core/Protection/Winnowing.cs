using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakGuard.Core.Protection;

/// <summary>A winnowed fingerprint: the hash of <see cref="Winnowing.K"/> consecutive tokens and
/// the lines they span.</summary>
public readonly record struct CodeFingerprint(ulong Hash, int StartLine, int EndLine);

/// <summary>A fingerprint as winnowing keeps it: the hash of the <see cref="Winnowing.K"/> tokens
/// from <paramref name="FirstToken"/> on (their lines are looked up only when they are wanted).</summary>
public readonly record struct KeptRun(ulong Hash, int FirstToken);

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

    /// <summary>Appends the fingerprints of <paramref name="tokens"/> to <paramref name="fingerprints"/>.</summary>
    public static void Fingerprints(List<CodeToken> tokens, List<KeptRun> fingerprints)
    {
        int grams = tokens.Count - K + 1;
        if (grams <= 0)
        {
            return;
        }
        var all = CollectionsMarshal.AsSpan(tokens);
        ulong[] hashes = ArrayPool<ulong>.Shared.Rent(grams);
        try
        {
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
            for (int i = 0; i < all.Length; i++)
            {
                ref readonly var token = ref all[i];
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
                    ref readonly var old = ref all[i - K];
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
                    hashes[i - K + 1] = hash | (0UL - (ulong)(1 - informative));
                }
            }
            // The smallest hash of each window of W, the rightmost on a tie; the window is searched
            // again only when its smallest slides out (the paper's robust winnowing, linear time).
            int smallest = -1;
            int last = -1;
            for (int end = 0; end < grams; end++)
            {
                int start = end - W + 1;
                if (smallest < Math.Max(0, start))
                {
                    smallest = Math.Max(0, start);
                    for (int j = smallest + 1; j <= end; j++)
                    {
                        if (hashes[j] <= hashes[smallest])
                        {
                            smallest = j;
                        }
                    }
                }
                else if (hashes[end] <= hashes[smallest])
                {
                    smallest = end;
                }
                if ((end >= W - 1 || end == grams - 1) && smallest != last && hashes[smallest] != Uninformative)
                {
                    fingerprints.Add(new KeptRun(hashes[smallest], smallest));
                    last = smallest;
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(hashes);
        }
    }

    // The tokens of the text being fingerprinted, one list per thread: building an index reads
    // tens of thousands of files, and a list per file left its large arrays for the GC to find
    // (peak memory of `protect add` on 522 MB of JavaScript: 2.2 GB with them, 1.1 GB live).
    [ThreadStatic]
    private static List<CodeToken>? t_tokens;

    [ThreadStatic]
    private static List<KeptRun>? t_kept;

    /// <summary>The fingerprints of one text, with their lines.</summary>
    public static List<CodeFingerprint> Of(ReadOnlySpan<byte> text)
    {
        var tokens = t_tokens ??= [];
        var kept = t_kept ??= [];
        tokens.Clear();
        kept.Clear();
        CodeTokens.Read(text, tokens);
        Fingerprints(tokens, kept);
        int[] lines = CodeTokens.Lines(text, tokens);
        return [.. kept.Select(run => new CodeFingerprint(run.Hash, lines[run.FirstToken], lines[run.FirstToken + K - 1]))];
    }

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
