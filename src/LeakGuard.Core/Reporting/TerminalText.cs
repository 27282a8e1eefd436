using System.Text;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>Makes untrusted text safe to print on a terminal. Paths and secrets come from the
/// scanned content, so an archive member named with an escape sequence could otherwise recolour,
/// hide or rewrite the report a person is reading.</summary>
public static class TerminalText
{
    /// <summary>One line of stderr or of a text log: control characters escaped, so a name from a
    /// tarball or a request path cannot end the line and forge the next one, and URLs without
    /// their credentials (<see cref="RedactedUrl.InText"/>), whatever message quoted them.</summary>
    public static string LogLine(string text) => Printable(RedactedUrl.InText(text));

    public static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAny(Unprintable))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (Unprintable.Contains(c))
            {
                builder.Append($"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>C0 and C1 controls (ESC among them), plus the bidirectional overrides that make a
    /// line read differently from what it contains.</summary>
    private static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        [.. Range('\u0000', '\u001f'), .. Range('\u007f', '\u009f'), .. Range('\u202a', '\u202e'), .. Range('\u2066', '\u2069')]);

    private static IEnumerable<char> Range(char first, char last) =>
        Enumerable.Range(first, last - first + 1).Select(i => (char)i);
}
