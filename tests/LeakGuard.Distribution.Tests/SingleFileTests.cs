namespace LeakGuard.Distribution.Tests;

/// <summary>The self-contained single-file linux-x64 binary: built-in rules are embedded in it,
/// and Hyperscan comes from the system's libhs.so.5 (./test installs libhyperscan5).</summary>
[Collection(DistributionCollection.Name)]
public class SingleFileTests(Distribution distribution)
{
    [Theory]
    [InlineData("hyperscan")]
    [InlineData("managed")]
    public void The_single_file_binary_finds_a_planted_secret_with_each_engine(string engine)
    {
        string tree = Distribution.TreeWithSecret();

        var result = Distribution.Run(tree, TimeSpan.FromMinutes(2), distribution.SingleFile,
            "scan", tree, "--engine", engine, "--format", "json", "--no-progress");

        Assert.Equal(engine, Distribution.AssertFoundTheToken(result, tree));
    }

    [Fact]
    public void The_single_file_build_has_no_single_file_warnings()
    {
        _ = distribution.SingleFile;
        // IL3000/IL3002 say code reads its own assembly's file, which a single-file bundle has not.
        Assert.Empty(distribution.SingleFileWarnings);
    }

    [Fact]
    public void The_single_file_binary_is_one_file()
    {
        string folder = Path.GetDirectoryName(distribution.SingleFile)!;
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Where(name => !name!.EndsWith(".pdb", StringComparison.Ordinal));
        // Native libraries (libgit2, SQLite) are bundled and extracted on demand, not shipped beside it.
        Assert.Equal(["leakguard"], files);
    }
}
