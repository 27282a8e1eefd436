using LeakGuard.Processes;

namespace LeakGuard.Distribution.Tests;

/// <summary>The pre-commit framework (Debian's `pre-commit`, tests/setup/distribution.sh installs
/// it) installing the hook from this repository at HEAD — it runs `dotnet pack` and `dotnet tool
/// install` itself — then `git commit` in another repository with and without a staged secret.</summary>
[Collection(DistributionCollection.Name)]
public class PreCommitTests(Distribution distribution)
{
    [Fact]
    public void The_hook_passes_a_clean_commit_and_blocks_a_staged_secret()
    {
        string rev = Distribution.Run(distribution.RepositoryRoot, TimeSpan.FromMinutes(1), "git", "rev-parse", "HEAD")
            .EnsureSuccess().StandardOutput.Trim();
        string repo = Distribution.TempDirectory("pre-commit-repo");
        var environment = new Dictionary<string, string?> { ["PRE_COMMIT_HOME"] = Distribution.TempDirectory("pre-commit-home") };
        ProcessResult Run(TimeSpan timeout, params string[] args) =>
            Distribution.RunWith(repo, timeout, environment, args[0], args[1..]);
        string[] git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"];

        Run(TimeSpan.FromMinutes(1), "git", "init", "-q", "-b", "main").EnsureSuccess();
        File.WriteAllText(Path.Join(repo, ".pre-commit-config.yaml"),
            $"repos:\n  - repo: {distribution.RepositoryRoot}\n    rev: {rev}\n    hooks:\n      - id: leakguard\n");
        Run(TimeSpan.FromMinutes(1), "pre-commit", "install").EnsureSuccess();
        // The hook's environment: a clone of the repository at rev, packed and installed as a tool.
        var installed = Run(TimeSpan.FromMinutes(20), "pre-commit", "install-hooks");
        Assert.True(installed.ExitCode == 0, installed.LastLines(30));

        File.WriteAllText(Path.Join(repo, "README.md"), "nothing to see\n");
        Run(TimeSpan.FromMinutes(1), "git", "add", ".").EnsureSuccess();
        var clean = Run(TimeSpan.FromMinutes(2), [.. git, "commit", "-q", "-m", "clean"]);
        Assert.True(clean.ExitCode == 0, clean.LastLines(30));

        File.WriteAllText(Path.Join(repo, "config.js"), $"export const token = \"{Distribution.Token}\";\n");
        Run(TimeSpan.FromMinutes(1), "git", "add", "config.js").EnsureSuccess();
        var blocked = Run(TimeSpan.FromMinutes(2), [.. git, "commit", "-q", "-m", "add token"]);

        Assert.True(blocked.ExitCode != 0, blocked.LastLines(30));
        Assert.Contains("github.pat", blocked.StandardOutput + blocked.StandardError, StringComparison.Ordinal);
        // The commit did not happen: HEAD is still the clean one.
        string log = Run(TimeSpan.FromMinutes(1), "git", "log", "--format=%s").EnsureSuccess().StandardOutput;
        Assert.Equal("clean", log.Trim());
    }
}
