namespace LeakGuard.Distribution.Tests;

/// <summary>`dotnet tool install LeakGuard` from a folder feed, then the installed `leakguard`.</summary>
[Collection(DistributionCollection.Name)]
public class DotnetToolTests(Distribution distribution)
{
    private string Install()
    {
        string toolPath = Distribution.TempDirectory("tool");
        Distribution.Run(toolPath, TimeSpan.FromMinutes(5), "dotnet", "tool", "install", "--tool-path", toolPath,
            "--add-source", distribution.Feed, "LeakGuard").EnsureSuccess();
        return Path.Join(toolPath, "leakguard");
    }

    [Fact]
    public void The_installed_tool_finds_a_planted_secret_and_exits_1()
    {
        string leakguard = Install();
        string tree = Distribution.TreeWithSecret();

        var result = Distribution.Run(tree, TimeSpan.FromMinutes(2), leakguard,
            "scan", tree, "--format", "json", "--no-progress");

        Distribution.AssertFoundTheToken(result, tree);
    }

    [Fact]
    public void The_installed_tool_exits_0_on_a_clean_folder()
    {
        string leakguard = Install();
        string clean = Distribution.TempDirectory("clean");
        File.WriteAllText(Path.Join(clean, "main.c"), "int main(void) { return 0; }\n");

        var result = Distribution.Run(clean, TimeSpan.FromMinutes(2), leakguard, "scan", clean, "--no-progress");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.LastLines(20)}");
    }
}
