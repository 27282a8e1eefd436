using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>The commit facts a finding is attributed to; shared by every blob the commit introduced.</summary>
internal sealed record CommitSummary(string Id, string AuthorName, string AuthorEmail, DateTimeOffset Date, string MessageFirstLine)
{
    public static CommitSummary Of(Commit commit) => new(
        commit.Sha,
        commit.Author.Name,
        commit.Author.Email,
        commit.Author.When,
        commit.MessageShort);
}

/// <summary>Where one distinct blob first appeared, and how often it appeared again elsewhere.</summary>
internal sealed class BlobIntroduction(ObjectId blob, string path, CommitSummary commit)
{
    private HashSet<string>? _otherPaths;
    private string _lastCommitId = commit.Id;

    public ObjectId Blob { get; } = blob;
    public string Path { get; } = path;
    public CommitSummary Commit { get; } = commit;

    /// <summary>Other commits that introduced this same content (at any path).</summary>
    public int OtherCommits { get; private set; }

    public int OtherPaths => _otherPaths?.Count ?? 0;

    public void SeenAgain(string path, CommitSummary commit)
    {
        if (path != Path)
        {
            (_otherPaths ??= new HashSet<string>(StringComparer.Ordinal)).Add(path);
        }
        // Commits arrive one after another, so comparing with the last one counts each once.
        if (commit.Id != _lastCommitId)
        {
            _lastCommitId = commit.Id;
            OtherCommits++;
        }
    }
}
