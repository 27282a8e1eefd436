using System.Runtime.InteropServices;

namespace LeakGuard.Matching;

/// <summary>Where a pattern may start: for each keyword occurrence, the start positions of any
/// match of the pattern that contains it. Reused across scans by one thread.</summary>
internal sealed class CandidateWindows(IReadOnlyList<CompiledPattern> patterns, KeywordTable keywords)
{
    private readonly List<Window> _windows = [];
    private readonly List<Window> _ends = [];
    // Per pattern, the index of its latest window in each list, so that repeated hits (a keyword
    // every few bytes, a repeat pattern ending at every byte of a long run) extend one window
    // instead of growing the lists with the input.
    private readonly int[] _lastWindow = new int[patterns.Count];
    private readonly int[] _lastEnd = new int[patterns.Count];

    internal readonly record struct Window(int Pattern, int Lo, int Hi);

    public int Count => _windows.Count;

    public void Clear()
    {
        _windows.Clear();
        _ends.Clear();
        Array.Fill(_lastWindow, -1);
        Array.Fill(_lastEnd, -1);
    }

    /// <summary>A keyword occurrence at <paramref name="position"/>: a match containing it
    /// starts no earlier than its end minus the pattern's width, and no later than it.</summary>
    public void AddKeywordHit(int keyword, int position)
    {
        int length = keywords.Keywords[keyword].Length;
        foreach (int p in keywords.PatternsOf[keyword])
        {
            int lo = Math.Max(0, position + length - patterns[p].MaxWidth);
            Append(_windows, _lastWindow, new Window(p, lo, position));
        }
    }

    /// <summary>Hyperscan saw pattern <paramref name="pattern"/> end at <paramref name="end"/>.</summary>
    public void AddPatternEnd(int pattern, int end)
    {
        int lo = Math.Max(0, end - patterns[pattern].MaxWidth);
        Append(_ends, _lastEnd, new Window(pattern, lo, end));
    }

    /// <summary>
    /// For the patterns Hyperscan ran, the keyword hits that matter: any hit whose window can hold
    /// the start of a match ending there. A hit at p opens starts from p + its length - the
    /// pattern's width up to p, and a match starts at most one width before its end, so the hits
    /// that matter lie from one width before an end to one width after it: after it too, since
    /// the managed engine confirms a match that starts in a hit's window whether or not it holds
    /// the keyword (a rule whose keywords miss a form its pattern takes, "API_KEY"] = "…"). Each
    /// pattern's keywords are looked for only there (caselessly), and added as
    /// <see cref="AddKeywordHit"/> would. Ends are few; this is what spares the database ~2,000
    /// literals.
    /// </summary>
    public void AddKeywordHitsNearEnds(ReadOnlySpan<byte> data)
    {
        var ends = Merge(_ends);
        CollectionsMarshal.SetCount(_ends, ends.Length);
        foreach (var end in ends)
        {
            var pattern = patterns[end.Pattern];
            int hi = (int)Math.Min(data.Length, (long)end.Hi + pattern.MaxWidth);
            if (hi <= end.Lo)
            {
                continue;
            }
            var text = Latin1(data[end.Lo..hi]);
            for (int from = 0; from < text.Length;)
            {
                int at = text[from..].IndexOfAny(pattern.KeywordSearch);
                if (at < 0)
                {
                    break;
                }
                int start = from + at;
                foreach (byte[] keyword in pattern.KeywordBytes)
                {
                    if (StartsWithFolded(text[start..], keyword))
                    {
                        int position = end.Lo + start;
                        Append(_windows, _lastWindow, new Window(end.Pattern, Math.Max(0, position + keyword.Length - pattern.MaxWidth), position));
                    }
                }
                from = start + 1;
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> starts with <paramref name="keyword"/> (lower-case
    /// ASCII), ASCII letters folded as Hyperscan's caseless literals and the managed engine fold them.</summary>
    private static bool StartsWithFolded(ReadOnlySpan<char> text, byte[] keyword)
    {
        if (text.Length < keyword.Length)
        {
            return false;
        }
        for (int i = 0; i < keyword.Length; i++)
        {
            char c = text[i];
            if ((c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c) != keyword[i])
            {
                return false;
            }
        }
        return true;
    }

    [ThreadStatic]
    private static char[]? t_text;

    /// <summary><paramref name="bytes"/> read as Latin-1 (a byte is a character) in a reused buffer.</summary>
    private static ReadOnlySpan<char> Latin1(ReadOnlySpan<byte> bytes)
    {
        if (t_text is null || t_text.Length < bytes.Length)
        {
            t_text = new char[Math.Max(bytes.Length, 4096)];
        }
        int n = System.Text.Encoding.Latin1.GetChars(bytes, t_text);
        return t_text.AsSpan(0, n);
    }

    private static void Append(List<Window> list, int[] last, Window window)
    {
        int i = last[window.Pattern];
        if (i >= 0)
        {
            var previous = list[i];
            if (window.Lo <= previous.Hi + 1 && previous.Lo <= window.Hi + 1)
            {
                list[i] = new Window(window.Pattern, Math.Min(previous.Lo, window.Lo), Math.Max(previous.Hi, window.Hi));
                return;
            }
        }
        last[window.Pattern] = list.Count;
        list.Add(window);
    }

    /// <summary>Sorts and merges the windows; where <paramref name="endsKnown"/> says Hyperscan
    /// ran a pattern, drops the windows in which no match of it can start.</summary>
    public ReadOnlySpan<Window> Finish(bool[]? endsKnown)
    {
        var windows = Merge(_windows);
        if (endsKnown is null)
        {
            return windows;
        }
        var ends = Merge(_ends);
        int kept = 0, e = 0;
        for (int w = 0; w < windows.Length; w++)
        {
            var window = windows[w];
            if (!endsKnown[window.Pattern])
            {
                windows[kept++] = window;
                continue;
            }
            while (e < ends.Length && Before(ends[e], window))
            {
                e++;
            }
            if (e < ends.Length && ends[e].Pattern == window.Pattern && ends[e].Lo <= window.Hi)
            {
                windows[kept++] = window;
            }
        }
        return windows[..kept];
    }

    // ends[e] lies wholly before window in (pattern, position) order.
    private static bool Before(Window end, Window window) =>
        end.Pattern < window.Pattern || (end.Pattern == window.Pattern && end.Hi < window.Lo);

    private static Span<Window> Merge(List<Window> list)
    {
        var span = CollectionsMarshal.AsSpan(list);
        span.Sort(static (a, b) => a.Pattern != b.Pattern ? a.Pattern.CompareTo(b.Pattern) : a.Lo.CompareTo(b.Lo));
        int n = 0;
        for (int i = 0; i < span.Length; i++)
        {
            var w = span[i];
            if (n > 0 && span[n - 1].Pattern == w.Pattern && w.Lo <= span[n - 1].Hi + 1)
            {
                if (w.Hi > span[n - 1].Hi)
                {
                    span[n - 1] = span[n - 1] with { Hi = w.Hi };
                }
            }
            else
            {
                span[n++] = w;
            }
        }
        return span[..n];
    }
}
