using System.Diagnostics;

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

    public string Git(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run(Path, environment, args);

    /// <summary>Runs git in a folder with no user or system configuration, so the machine's
    /// settings cannot change what a test sees.</summary>
    public static string Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_COMMITTER_NAME"] = "Committer";
        start.Environment["GIT_COMMITTER_EMAIL"] = "committer@example.com";
        start.Environment["GIT_AUTHOR_NAME"] = "Ada Lovelace";
        start.Environment["GIT_AUTHOR_EMAIL"] = "ada@example.com";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"git {string.Join(' ', args)} did not finish within a minute");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr.Result}");
        }
        return stdout.Result;
    }
}
