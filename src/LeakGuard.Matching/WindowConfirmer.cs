using System.Text;
using System.Text.RegularExpressions;

namespace LeakGuard.Matching;

/// <summary>
/// Turns candidate windows into matches with .NET <see cref="System.Text.RegularExpressions.Regex"/>.
/// For each pattern it reproduces the leftmost-first, non-overlapping matches that a scan of the
/// whole text would give, restricted to matches that start inside a window. The regex sees the
/// window's start positions plus the pattern's maximum width and one character on each side, so
/// \b, ^ and $ read the true neighbours and no match is cut short.
/// </summary>
internal static class WindowConfirmer
{
    // Most windows hold no match: they are tried on a reused char buffer without allocating, and
    // only a window that matches is turned into a string for capture groups.
    [ThreadStatic]
    private static char[]? t_buffer;

    /// <summary>Most positions one regex call tries.</summary>
    internal const int PieceLength = 1 << 16;

    /// <param name="timedOut">Where a pattern whose regex ran past its time limit is recorded;
    /// its remaining windows are skipped.</param>
    public static void Confirm(ReadOnlySpan<byte> data, ReadOnlySpan<CandidateWindows.Window> windows,
        IReadOnlyList<CompiledPattern> patterns, List<PatternMatch> results, List<int> timedOut, ReadOnlySpan<bool> skip = default)
    {
        int currentPattern = -1;
        int next = 0; // earliest start still allowed for the current pattern
        bool skipping = false; // the current pattern timed out
        foreach (var window in windows)
        {
            if (!skip.IsEmpty && skip[window.Pattern])
            {
                continue;
            }
            if (window.Pattern != currentPattern)
            {
                currentPattern = window.Pattern;
                next = 0;
                skipping = false;
            }
            int from = Math.Max(window.Lo, next);
            if (skipping || from > window.Hi)
            {
                continue;
            }
            try
            {
                // In pieces: one regex call then tries a bounded number of positions, so a large
                // window of legitimate text cannot add up to a pattern's time limit.
                while (from <= window.Hi)
                {
                    var piece = window with { Hi = (int)Math.Min(window.Hi, (long)from + PieceLength - 1) };
                    next = ConfirmWindow(data, piece, from, patterns[window.Pattern], results);
                    from = next;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                timedOut.Add(window.Pattern);
                skipping = true;
            }
        }
    }

    /// <summary>Adds the matches of <paramref name="pattern"/> that start in
    /// <paramref name="window"/> at or after <paramref name="from"/>; returns the earliest start
    /// still allowed after them.</summary>
    private static int ConfirmWindow(ReadOnlySpan<byte> data, CandidateWindows.Window window, int from, CompiledPattern pattern, List<PatternMatch> results)
    {
        int textStart = Math.Max(0, from - 1);
        int textEnd = (int)Math.Min(data.Length, (long)window.Hi + pattern.MaxWidth + 1);
        var regex = pattern.Regex;
        int at = from - textStart;
        if (!MatchesIn(data[textStart..textEnd], regex, at, window.Hi - textStart))
        {
            return window.Hi + 1;
        }
        string text = Encoding.Latin1.GetString(data[textStart..textEnd]);
        while (at <= window.Hi - textStart)
        {
            var m = regex.Match(text, at);
            if (!m.Success || m.Index > window.Hi - textStart)
            {
                break;
            }
            if (m.Length == 0)
            {
                at = m.Index + 1;
                continue;
            }
            var secret = m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1] : (Capture)m;
            results.Add(new PatternMatch(window.Pattern, textStart + m.Index, m.Length, textStart + secret.Index, secret.Length));
            at = m.Index + m.Length;
        }
        return Math.Max(textStart + at, window.Hi + 1);
    }

    /// <summary>Whether a match starts at or after <paramref name="at"/> and no later than
    /// <paramref name="lastStart"/> in the window's text.</summary>
    private static bool MatchesIn(ReadOnlySpan<byte> window, Regex regex, int at, int lastStart)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < window.Length)
        {
            buffer = t_buffer = new char[Math.Max(window.Length, 4096)];
        }
        var text = buffer.AsSpan(0, Encoding.Latin1.GetChars(window, buffer));
        foreach (var match in regex.EnumerateMatches(text, at))
        {
            if (match.Length > 0)
            {
                return match.Index <= lastStart;
            }
        }
        return false;
    }
}
