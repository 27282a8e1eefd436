namespace LeakGuard.Distribution.Tests;

/// <summary>The repository's ./leakguard script, as a user who put a symlink to it on PATH runs it.</summary>
[Collection(DistributionCollection.Name)]
public class ScriptSymlinkTests(Distribution distribution)
{
    [Fact]
    public void Through_a_symlink_run_from_another_folder_it_builds_and_scans()
    {
        string bin = Distribution.TempDirectory("bin");
        string link = Path.Join(bin, "leakguard");
        File.CreateSymbolicLink(link, Path.Join(distribution.RepositoryRoot, "leakguard"));
        string tree = Distribution.TreeWithSecret();
        string elsewhere = Distribution.TempDirectory("cwd");

        var result = Distribution.Run(elsewhere, TimeSpan.FromMinutes(15), link, "scan", tree, "--format", "json", "--no-progress");

        Distribution.AssertFoundTheToken(result, tree);
        Assert.DoesNotContain("MSB1009", result.StandardError, StringComparison.Ordinal);
    }
}
