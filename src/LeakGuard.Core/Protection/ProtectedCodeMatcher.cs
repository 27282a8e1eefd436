using System.Runtime.InteropServices;

namespace LeakGuard.Core.Protection;

/// <summary>How much of one scanned text matches one protected file.</summary>
/// <param name="Similarity">The share of the text's fingerprints found in the protected file.</param>
/// <param name="ProtectedLines">Lines of the protected file the matched fingerprints span.</param>
/// <param name="LongestRun">The lines of code (comments and blank lines do not count) of the
/// longest unbroken matched passage of the scanned text.</param>
/// <param name="ProtectedRanges">Those lines as ranges, in order.</param>
/// <param name="Ranges">The scanned text's matched lines, as ranges in order.</param>
public sealed record ProtectedMatch(
    ProtectedCodebase Codebase,
    ProtectedFile File,
    double Similarity,
    int ProtectedLines,
    int LongestRun,
    IReadOnlyList<LineRange> ProtectedRanges,
    IReadOnlyList<LineRange> Ranges);

public readonly record struct LineRange(int Start, int End)
{
    public override string ToString() => Start == End ? $"{Start}" : $"{Start}-{End}";

    /// <summary>Sorted, overlapping and touching ranges joined.</summary>
    public static List<LineRange> Merge(IEnumerable<LineRange> ranges)
    {
        var merged = new List<LineRange>();
        foreach (var range in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End + 1)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, range.End) };
            }
            else
            {
                merged.Add(range);
            }
        }
        return merged;
    }

    public static int LineCount(IEnumerable<LineRange> merged) => merged.Sum(r => r.End - r.Start + 1);
}

/// <summary>
/// Looks up a scanned text's fingerprints in the <see cref="ProtectedIndex"/>: each protected file
/// it shares an unbroken passage of at least <see cref="MinLines"/> lines of code with, at a similarity of at
/// least <see cref="MinSimilarity"/>, is a match. A run, not a total: generated glue (a compiler's
/// interop prologue, a re-export block) is the same few lines in every project, scattered; a
/// copy is whole passages.
/// </summary>
public sealed class ProtectedCodeMatcher(ProtectedIndex index)
{
    public const int DefaultMinLines = 10;

    public ProtectedIndex Index { get; } = index;

    /// <summary>Lines of code an unbroken matched passage must hold (<c>--min-lines</c>).</summary>
    public int MinLines { get; init; } = DefaultMinLines;

    /// <summary>Share of the scanned text's fingerprints a match must hold (<c>--min-similarity</c>, 0 to 1).</summary>
    public double MinSimilarity { get; init; }

    // One list per scanning thread: a scan fingerprints every code file it reads.
    [ThreadStatic]
    private static List<KeptRun>? t_fingerprints;

    // The positions of the fingerprints the index's filter lets through.
    [ThreadStatic]
    private static List<int>? t_candidates;

    /// <summary>The matches of a scanned file; none when its path is not code (<see cref="CodeFiles"/>).</summary>
    public IReadOnlyList<ProtectedMatch> Match(string path, ReadOnlySpan<byte> text)
    {
        if (!CodeFiles.IsCode(path))
        {
            return [];
        }
        var fingerprints = t_fingerprints ??= [];
        fingerprints.Clear();
        Winnowing.Fingerprints(text, fingerprints);
        if (fingerprints.Count == 0)
        {
            return [];
        }
        var candidates = t_candidates ??= [];
        candidates.Clear();
        Index.MayHold(CollectionsMarshal.AsSpan(fingerprints), candidates);
        Dictionary<(int Codebase, int File), Hits>? hits = null;
        TextLines? lines = null;
        var codebases = Index.Codebases;
        foreach (int candidate in candidates)
        {
            var fingerprint = fingerprints[candidate];
            for (int c = 0; c < codebases.Count; c++)
            {
                foreach (var place in codebases[c].Fingerprints.Lookup(fingerprint.Hash))
                {
                    // A load checks the file's checksum, not each fingerprint: one made to name a
                    // file its codebase lacks is refused where it is met.
                    if ((uint)place.File >= (uint)codebases[c].Files.Count)
                    {
                        throw new InvalidDataException($"the protected-code index is damaged: codebase {codebases[c].Name} has no file {place.File:N0}; build it again with `leakguard protect add`");
                    }
                    hits ??= [];
                    lines ??= TextLines.Of(text);
                    if (!hits.TryGetValue((c, place.File), out var hit))
                    {
                        hits[(c, place.File)] = hit = new Hits();
                    }
                    hit.Fingerprints.Add(fingerprint.Hash);
                    hit.Protected.Add(new LineRange(place.StartLine, place.EndLine));
                    hit.Scanned.Add(new LineRange(lines.LineAt(fingerprint.StartOffset), lines.LineAt(fingerprint.EndOffset)));
                }
            }
        }
        if (hits is null || lines is null)
        {
            return [];
        }
        int distinct = fingerprints.Select(f => f.Hash).Distinct().Count();
        // The lines that hold code, from the tokens read again: only a text that matched pays for it.
        var tokens = new List<CodeToken>();
        CodeTokens.Read(text, tokens);
        int[] codeLines = [.. tokens.Select(t => lines.LineAt(t.Offset)).Distinct()];
        int[] fingerprintLines = [.. fingerprints.Select(f => lines.LineAt(f.StartOffset)).Distinct().Order()];
        var matches = new List<ProtectedMatch>();
        foreach (var ((c, f), hit) in hits)
        {
            var protectedRanges = LineRange.Merge(hit.Protected);
            var scannedRanges = LineRange.Merge(hit.Scanned);
            int run = Passages(hit, fingerprintLines).Max(passage => CodeLinesWithin(codeLines, passage));
            double similarity = (double)hit.Fingerprints.Count / distinct;
            if (run >= MinLines && similarity >= MinSimilarity)
            {
                var codebase = Index.Codebases[c];
                matches.Add(new ProtectedMatch(codebase, codebase.Files[f], similarity, LineRange.LineCount(protectedRanges), run,
                    protectedRanges, scannedRanges));
            }
        }
        return [.. matches.OrderByDescending(m => m.ProtectedLines).ThenBy(m => m.File.Path, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The passages of the scanned text that copy one passage of the protected file: matched
    /// fingerprints in the scanned text's order, joined while the protected lines they match go on
    /// in the same order, and what lies between two of them in the scanned text holds no
    /// fingerprint (code too plain to fingerprint: a list of names, closing lines) or one that also
    /// matched. Pieces of the protected file met out of order, or with unmatched code between
    /// them (the same generated lines all over a bundle), are separate passages.
    /// </summary>
    private static List<LineRange> Passages(Hits hit, int[] fingerprintLines)
    {
        var order = Enumerable.Range(0, hit.Scanned.Count).OrderBy(i => hit.Scanned[i].Start).ThenBy(i => hit.Protected[i].Start).ToList();
        var passages = new List<LineRange>();
        LineRange scanned = default, copied = default;
        foreach (int i in order)
        {
            var (s, p) = (hit.Scanned[i], hit.Protected[i]);
            bool continues = passages.Count > 0
                && p.Start >= copied.Start && p.Start <= copied.End + 1 + Math.Max(0, s.Start - scanned.End) * 2 + 2
                && (s.Start <= scanned.End + 1 || CodeLinesWithin(fingerprintLines, new LineRange(scanned.End + 1, s.Start - 1)) == 0);
            if (continues)
            {
                scanned = scanned with { End = Math.Max(scanned.End, s.End) };
                copied = copied with { End = Math.Max(copied.End, p.End) };
                passages[^1] = scanned;
            }
            else
            {
                (scanned, copied) = (s, p);
                passages.Add(s);
            }
        }
        return passages;
    }

    /// <summary>How many of the (ascending) <paramref name="codeLines"/> lie in <paramref name="range"/>.</summary>
    private static int CodeLinesWithin(int[] codeLines, LineRange range)
    {
        int from = Array.BinarySearch(codeLines, range.Start);
        int to = Array.BinarySearch(codeLines, range.End);
        from = from < 0 ? ~from : from;
        to = to < 0 ? ~to : to + 1;
        return to - from;
    }

    private sealed class Hits
    {
        public HashSet<ulong> Fingerprints { get; } = [];
        public List<LineRange> Protected { get; } = [];
        public List<LineRange> Scanned { get; } = [];
    }
}
