namespace LeakGuard.Core.Precision;

/// <summary>
/// The result lines of a test run (DejaGnu's <c>.sum</c> and <c>.log</c>, Automake's test-suite
/// logs): <c>PASS: gas/i386/align-branch-1c</c> names a test that passed, not a password. One such
/// line could be a setting (<c>PASS: hunter2</c> in a compose file), so a line counts only when a
/// line near it is a result line too, as they are in every test log.
/// </summary>
public static class TestResultLog
{
    private static readonly string[] Outcomes =
        ["PASS", "FAIL", "XPASS", "XFAIL", "KPASS", "KFAIL", "SKIP", "ERROR", "UNSUPPORTED", "UNRESOLVED", "UNTESTED", "WARNING"];

    /// <summary>How many lines on either side are looked at: DejaGnu puts a <c>Running … .exp</c> line between tests.</summary>
    private const int Reach = 2;

    /// <summary>Whether <paramref name="position"/> is on a result line with another result line
    /// within <see cref="Reach"/> lines of it.</summary>
    public static bool IsResultLine(ReadOnlySpan<byte> content, int position)
    {
        int start = position <= 0 ? 0 : content[..position].LastIndexOf((byte)'\n') + 1;
        if (!StartsWithOutcome(LineAt(content, start)))
        {
            return false;
        }
        int next = start;
        for (int i = 0; i < Reach; i++)
        {
            int end = content[next..].IndexOf((byte)'\n');
            if (end < 0)
            {
                break;
            }
            next += end + 1;
            if (StartsWithOutcome(LineAt(content, next)))
            {
                return true;
            }
        }
        int previous = start;
        for (int i = 0; i < Reach && previous > 0; i++)
        {
            previous = content[..(previous - 1)].LastIndexOf((byte)'\n') + 1;
            if (StartsWithOutcome(LineAt(content, previous)))
            {
                return true;
            }
        }
        return false;
    }

    private static ReadOnlySpan<byte> LineAt(ReadOnlySpan<byte> content, int start)
    {
        var rest = content[start..];
        int end = rest.IndexOf((byte)'\n');
        return end < 0 ? rest : rest[..end];
    }

    private static bool StartsWithOutcome(ReadOnlySpan<byte> line)
    {
        foreach (string outcome in Outcomes)
        {
            if (line.Length > outcome.Length + 1 && line[outcome.Length] == (byte)':' && line[outcome.Length + 1] == (byte)' '
                && System.Text.Ascii.Equals(line[..outcome.Length], outcome))
            {
                return true;
            }
        }
        return false;
    }
}
