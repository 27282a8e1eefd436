using System.Text;

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
    public static void Confirm(ReadOnlySpan<byte> data, ReadOnlySpan<CandidateWindows.Window> windows,
        IReadOnlyList<CompiledPattern> patterns, List<PatternMatch> results)
    {
        int currentPattern = -1;
        int next = 0; // earliest start still allowed for the current pattern
        foreach (var window in windows)
        {
            if (window.Pattern != currentPattern)
            {
                currentPattern = window.Pattern;
                next = 0;
            }
            int from = Math.Max(window.Lo, next);
            if (from > window.Hi)
            {
                continue;
            }
            var pattern = patterns[window.Pattern];
            int textStart = Math.Max(0, from - 1);
            int textEnd = (int)Math.Min(data.Length, (long)window.Hi + pattern.MaxWidth + 1);
            string text = Encoding.Latin1.GetString(data[textStart..textEnd]);
            var regex = pattern.Regex;
            int at = from - textStart;
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
                var secret = m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1] : (System.Text.RegularExpressions.Capture)m;
                results.Add(new PatternMatch(window.Pattern, textStart + m.Index, m.Length, textStart + secret.Index, secret.Length));
                at = m.Index + m.Length;
            }
            next = Math.Max(textStart + at, window.Hi + 1);
        }
    }
}
