namespace LeakGuard.Distribution.Tests;

/// <summary>The GitHub Action's steps (action/run.sh) run as GitHub runs them: inputs as INPUT_*
/// variables, outputs into a GITHUB_OUTPUT file, the tool installed from the locally packed feed.</summary>
[Collection(DistributionCollection.Name)]
public class GitHubActionTests(Distribution distribution)
{
    private (int ExitCode, Dictionary<string, string> Outputs, string Log) RunAction(string workspace, params (string Name, string Value)[] inputs)
    {
        string runner = Distribution.TempDirectory("runner");
        string outputFile = Path.Join(runner, "github_output");
        string pathFile = Path.Join(runner, "github_path");
        File.WriteAllText(outputFile, "");
        File.WriteAllText(pathFile, "");
        var environment = new Dictionary<string, string?>
        {
            ["GITHUB_OUTPUT"] = outputFile, ["GITHUB_PATH"] = pathFile, ["RUNNER_TEMP"] = runner,
            ["GITHUB_ACTION_PATH"] = distribution.RepositoryRoot, ["INPUT_SOURCE"] = distribution.Feed,
        };
        foreach (var (name, value) in inputs)
        {
            environment["INPUT_" + name] = value;
        }
        var result = Distribution.RunWith(workspace, TimeSpan.FromMinutes(5), environment,
            "bash", Path.Join(distribution.RepositoryRoot, "action", "run.sh"));
        var outputs = File.ReadAllLines(outputFile).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal(Path.Join(runner, "leakguard-tool"), File.ReadAllText(pathFile).Trim());
        return (result.ExitCode, outputs, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public void A_scan_with_a_secret_writes_sarif_sets_the_outputs_and_fails_the_step()
    {
        string tree = Distribution.TreeWithSecret();

        var (exitCode, outputs, log) = RunAction(tree, ("COMMAND", "scan"), ("TARGET", "."), ("SARIF", "report.sarif"));

        Assert.True(exitCode == 1, log);
        Assert.Equal("1", outputs["findings"]);
        Assert.Equal("1", outputs["exit-code"]);
        Assert.Equal("report.sarif", outputs["sarif"]);
        Assert.Contains("github.pat", File.ReadAllText(Path.Join(tree, "report.sarif")), StringComparison.Ordinal);
        Assert.Contains("::error title=LeakGuard::1 finding(s)", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Fail_on_findings_false_keeps_the_step_green_but_reports_the_exit_code()
    {
        string tree = Distribution.TreeWithSecret();

        var (exitCode, outputs, log) = RunAction(tree, ("TARGET", tree), ("FAIL_ON_FINDINGS", "false"));

        Assert.True(exitCode == 0, log);
        Assert.Equal("1", outputs["findings"]);
        Assert.Equal("1", outputs["exit-code"]);
        Assert.Contains("::warning title=LeakGuard::", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_args_reach_leakguard()
    {
        string tree = Distribution.TreeWithSecret();

        // The file with the secret is over the size limit: skipped with a warning, nothing found.
        var (exitCode, outputs, log) = RunAction(tree, ("TARGET", tree), ("ARGS", "--max-file-size 10B"));

        Assert.True(exitCode == 0, log);
        Assert.Equal("0", outputs["findings"]);
        Assert.Equal("0", outputs["exit-code"]);
        Assert.Contains("larger than --max-file-size", log, StringComparison.Ordinal);
    }

    [Fact]
    public void The_git_command_scans_the_history_of_a_repository()
    {
        string repo = Distribution.TreeWithSecret();
        Git(repo, "init", "-q", "-b", "main");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "add config");
        // Deleted from the working tree, still in history: only a history scan finds it.
        Git(repo, "rm", "-q", "src/config.js");
        Git(repo, "commit", "-q", "-m", "remove config");

        var (exitCode, outputs, log) = RunAction(repo, ("COMMAND", "git"), ("TARGET", "."));

        Assert.True(exitCode == 1, log);
        Assert.Equal("1", outputs["findings"]);
    }

    [Fact]
    public void An_unknown_command_is_an_error_whatever_fail_on_findings_says()
    {
        string tree = Distribution.TreeWithSecret();

        var (exitCode, outputs, log) = RunAction(tree, ("COMMAND", "publish"), ("FAIL_ON_FINDINGS", "false"));

        Assert.True(exitCode == 2, log);
        Assert.Equal("2", outputs["exit-code"]);
        Assert.Contains("unknown command 'publish'", log, StringComparison.Ordinal);
    }

    private static void Git(string repo, params string[] args) =>
        Distribution.Run(repo, TimeSpan.FromMinutes(1), "git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", .. args]).EnsureSuccess();
}
