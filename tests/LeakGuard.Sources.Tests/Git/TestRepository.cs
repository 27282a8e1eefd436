using LeakGuard.Processes;

namespace LeakGuard.Tests.Git;

/// <summary>A real repository built with the git CLI, for tests that need history. Every commit
/// gets a fixed, increasing date so "earliest" is unambiguous.</summary>
internal sealed class TestRepository
{
    private int _clock;

    public TestRepository(string path, bool bare = false)
    {
        Path = path;
        Directory.CreateDirectory(path);
        Git(bare ? ["init", "-q", "--bare", "-b", "main"] : ["init", "-q", "-b", "main"]);
    }

    public string Path { get; }

    public TestRepository Write(string relative, string text)
    {
        string file = System.IO.Path.Join(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return this;
    }

    public TestRepository Delete(string relative)
    {
        Git("rm", "-q", relative);
        return this;
    }

    /// <summary>Stages everything and commits it; returns the new commit id.</summary>
    public string Commit(string message, string author = "Ada Lovelace", string email = "ada@example.com")
    {
        Git("add", "-A");
        string date = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (++_clock * 60)).ToString("yyyy-MM-ddTHH:mm:ssZ");
        Git(new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = author,
            ["GIT_AUTHOR_EMAIL"] = email,
            ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_DATE"] = date,
        }, "commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args) => Git(null, args);

    /// <summary>Writes an object as given, unchecked (<c>git hash-object --literally</c>): how a
    /// malformed commit gets into a repository. Returns its id.</summary>
    public string HashObjectLiterally(string type, string content) =>
        ProcessRunner.Run(new ProcessCommand("git", "hash-object", "--literally", "-t", type, "-w", "--stdin")
        {
            WorkingDirectory = Path,
            Environment = new Dictionary<string, string?> { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null" },
            StandardInput = content,
            Description = "git hash-object --literally",
        }, TimeSpan.FromMinutes(1)).EnsureSuccess().StandardOutput.Trim();

    /// <summary>Feeds <paramref name="stream"/> to <c>git fast-import</c>: thousands of trees in one
    /// process, where <c>git mktree</c> would take one per tree.</summary>
    public void FastImport(string stream) =>
        ProcessRunner.Run(new ProcessCommand("git", "fast-import", "--quiet")
        {
            WorkingDirectory = Path,
            Environment = new Dictionary<string, string?> { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null" },
            StandardInput = stream,
            Description = "git fast-import",
        }, TimeSpan.FromMinutes(1)).EnsureSuccess();

    /// <summary>A fast-import stream of one commit on <paramref name="branch"/> holding the given files.</summary>
    public static string FastImportCommit(string branch, string message, params (string Path, string Text)[] files)
    {
        var stream = new System.Text.StringBuilder();
        stream.Append($"commit refs/heads/{branch}\n")
            .Append("author Ada Lovelace <ada@example.com> 1700000000 +0000\n")
            .Append("committer Committer <committer@example.com> 1700000000 +0000\n")
            .Append($"data {System.Text.Encoding.UTF8.GetByteCount(message)}\n{message}\n");
        foreach (var (path, text) in files)
        {
            stream.Append($"M 100644 inline {path}\ndata {System.Text.Encoding.UTF8.GetByteCount(text)}\n{text}\n");
        }
        return stream.Append('\n').ToString();
    }

    public string Git(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run(Path, environment, args);

    /// <summary>Runs git in a folder with no user or system configuration, so the machine's
    /// settings cannot change what a test sees.</summary>
    public static string Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string?>
        {
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_COMMITTER_NAME"] = "Committer",
            ["GIT_COMMITTER_EMAIL"] = "committer@example.com",
            ["GIT_AUTHOR_NAME"] = "Ada Lovelace",
            ["GIT_AUTHOR_EMAIL"] = "ada@example.com",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        var command = new ProcessCommand("git", args)
        {
            WorkingDirectory = workingDirectory,
            Environment = variables,
            Description = $"git {string.Join(' ', args)}",
        };
        return ProcessRunner.Run(command, TimeSpan.FromMinutes(1)).EnsureSuccess().StandardOutput;
    }
}
