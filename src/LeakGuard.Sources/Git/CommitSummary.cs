using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// The commit facts a finding is attributed to; shared by every blob the commit introduced.
/// Each is copied into every finding of the commit, and a commit is whatever its author wrote
/// (a 20 MB one-line message, a name of any length), so each is cut to a bounded length.
/// </summary>
internal sealed record CommitSummary(string Id, string AuthorName, string AuthorEmail, DateTimeOffset? Date, string MessageFirstLine)
{
    /// <summary>Longest message summary kept: far beyond any subject line a person writes.</summary>
    public const int MaxMessageChars = 256;

    /// <summary>Longest author name or e-mail address kept.</summary>
    public const int MaxAuthorChars = 128;

    public static CommitSummary Of(Commit commit) => Bounded(
        commit.Sha,
        commit.Author.Name,
        commit.Author.Email,
        commit.Author.When,
        commit.MessageShort);

    public static CommitSummary Bounded(string id, string authorName, string authorEmail, DateTimeOffset? date, string message) => new(
        id,
        Cut(authorName, MaxAuthorChars),
        Cut(authorEmail, MaxAuthorChars),
        date,
        Cut(message, MaxMessageChars));

    /// <summary>At most <paramref name="max"/> characters, the last an ellipsis when cut (never
    /// half of a surrogate pair).</summary>
    internal static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        int keep = max - 1;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
