using System.Text;

namespace LeakGuard.Core.Findings;

/// <summary>
/// The lines around a secret, for a reader deciding whether it is real: up to
/// <see cref="LinesAround"/> lines before and after the secret's own, the secret redacted as in the
/// finding (every occurrence of it, and all of a secret that spans lines, such as a PEM key), each
/// line cut to <see cref="MaxLineLength"/> characters around what matters (a minified bundle is one
/// line). Taken from the text the secret was found in: for a decoded value, the decoded text.
/// </summary>
/// <param name="Lines">The lines, without their line breaks.</param>
/// <param name="SecretLine">The index in <paramref name="Lines"/> of the line the secret starts on.</param>
public sealed record CodeContext(IReadOnlyList<string> Lines, int SecretLine)
{
    public const int LinesAround = 2;
    public const int MaxLineLength = 200;

    /// <summary>Bytes read on each side of the secret at most, so a finding costs the same in a
    /// 100 MB one-line file as in a short one.</summary>
    private const int MaxBytesAround = 2048;

    public static CodeContext Around(ReadOnlySpan<byte> content, int secretStart, int secretLength, string secret, string redacted)
    {
        int secretEnd = Math.Min(content.Length, secretStart + secretLength);
        int from = LineStartBefore(content, secretStart, LinesAround);
        int to = LineEndAfter(content, secretEnd, LinesAround);
        string before = Encoding.UTF8.GetString(content[from..secretStart]);
        string after = Encoding.UTF8.GetString(content[secretEnd..to]);
        var lines = new List<string>();
        string[] beforeLines = before.Split('\n');
        string[] afterLines = after.Split('\n');
        for (int i = 0; i < beforeLines.Length - 1; i++)
        {
            lines.Add(Cut(beforeLines[i], 0));
        }
        int secretLine = lines.Count;
        string lead = beforeLines[^1];
        lines.Add(Cut(lead + redacted + afterLines[0], lead.Length));
        // A text ending in a line break has no line after it.
        int afterCount = afterLines.Length > 1 && afterLines[^1].Length == 0 ? afterLines.Length - 1 : afterLines.Length;
        for (int i = 1; i < afterCount; i++)
        {
            lines.Add(Cut(afterLines[i], 0));
        }
        for (int i = 0; i < lines.Count; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
            if (secret.Length > 0)
            {
                lines[i] = lines[i].Replace(secret, redacted, StringComparison.Ordinal);
            }
        }
        return new CodeContext(lines, secretLine);
    }

    /// <summary>At most <see cref="MaxLineLength"/> characters of <paramref name="line"/>, starting a
    /// little before <paramref name="focus"/> when the line is longer.</summary>
    private static string Cut(string line, int focus)
    {
        if (line.Length <= MaxLineLength)
        {
            return line;
        }
        int start = Math.Clamp(focus - MaxLineLength / 4, 0, line.Length - MaxLineLength);
        return (start > 0 ? "…" : "") + line.Substring(start, MaxLineLength) + (start + MaxLineLength < line.Length ? "…" : "");
    }

    private static int LineStartBefore(ReadOnlySpan<byte> content, int position, int lines)
    {
        int floor = Math.Max(0, position - MaxBytesAround);
        int i = position;
        int breaks = 0;
        while (i > floor)
        {
            if (content[i - 1] == (byte)'\n' && ++breaks > lines)
            {
                return i;
            }
            i--;
        }
        return floor;
    }

    private static int LineEndAfter(ReadOnlySpan<byte> content, int position, int lines)
    {
        int ceiling = Math.Min(content.Length, position + MaxBytesAround);
        int breaks = 0;
        for (int i = position; i < ceiling; i++)
        {
            if (content[i] == (byte)'\n' && ++breaks > lines)
            {
                return i;
            }
        }
        return ceiling;
    }
}
