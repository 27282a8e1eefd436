using System.Globalization;
using System.Text;
using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// A commit object read as git reads it, leniently: its <c>tree</c> and <c>parent</c> lines, its
/// author and dates where they can be made out, and the first line of its message. libgit2
/// refuses a whole commit for one bad header (an author with no e-mail address), which would
/// hide its tree and everything before it; this is what the walk falls back on.
/// </summary>
internal sealed record RawCommit(
    ObjectId? Tree, IReadOnlyList<ObjectId> Parents, string AuthorName, string AuthorEmail,
    DateTimeOffset? AuthorDate, DateTimeOffset? CommitterDate, string Summary)
{
    /// <summary>Bytes of the message's first line decoded: enough for any summary kept.</summary>
    private const int MaxSummaryBytes = 4 * CommitSummary.MaxMessageChars;

    public static RawCommit Parse(ReadOnlySpan<byte> bytes)
    {
        ObjectId? tree = null;
        var parents = new List<ObjectId>();
        string authorName = "", authorEmail = "";
        DateTimeOffset? authorDate = null, committerDate = null;
        while (!bytes.IsEmpty)
        {
            int end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            if (line.IsEmpty)
            {
                break;
            }
            if (Field(line, "tree ") is { } treeId && tree is null)
            {
                tree = Id(treeId);
            }
            else if (Field(line, "parent ") is { } parentId && Id(parentId) is { } parent)
            {
                parents.Add(parent);
            }
            else if (Field(line, "author ") is { } author)
            {
                (authorName, authorEmail, authorDate) = Signature(author);
            }
            else if (Field(line, "committer ") is { } committer)
            {
                committerDate = Signature(committer).Date;
            }
        }
        int lineEnd = bytes.IndexOfAny((byte)'\n', (byte)'\r');
        var first = lineEnd < 0 ? bytes : bytes[..lineEnd];
        string summary = Encoding.UTF8.GetString(first[..Math.Min(first.Length, MaxSummaryBytes)]).Trim();
        return new RawCommit(tree, parents, authorName, authorEmail, authorDate, committerDate, summary);
    }

    private static string? Field(ReadOnlySpan<byte> line, string name) =>
        line.StartsWith(Encoding.ASCII.GetBytes(name)) ? Encoding.UTF8.GetString(line[name.Length..]) : null;

    private static ObjectId? Id(string text) =>
        text.Length == 40 && ObjectId.TryParse(text, out var id) ? id : null;

    /// <summary><c>Name &lt;email&gt; seconds ±hhmm</c>, as far as it goes.</summary>
    private static (string Name, string Email, DateTimeOffset? Date) Signature(string text)
    {
        int open = text.IndexOf('<', StringComparison.Ordinal);
        int close = text.LastIndexOf('>');
        if (open < 0 || close < open)
        {
            return (text.Trim(), "", null);
        }
        string name = text[..open].Trim();
        string email = text[(open + 1)..close].Trim();
        string[] when = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        DateTimeOffset? date = null;
        if (when.Length > 0 && long.TryParse(when[0], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            date = DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(when.Length > 1 ? Offset(when[1]) : TimeSpan.Zero);
        }
        return (name, email, date);
    }

    private static TimeSpan Offset(string zone)
    {
        if (zone.Length == 5 && zone[0] is '+' or '-'
            && int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            && int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            && minutes < 60 && (hours < 14 || (hours == 14 && minutes == 0)))
        {
            var offset = new TimeSpan(hours, minutes, 0);
            return zone[0] == '-' ? -offset : offset;
        }
        return TimeSpan.Zero;
    }
}
