using LeakGuard.Core.Configuration;
using LeakGuard.Core.Scanning;
using LeakGuard.Tests.Shared.Fuzzing;
using Xunit.Abstractions;

namespace LeakGuard.Core.Tests.Fuzzing;

/// <summary>
/// Each parser of hostile input, fed seeded mutations of real samples (see <see cref="FuzzLoop"/>):
/// none may throw, and none may allocate more for one input than the scan's limits allow.
/// CI runs a fixed set of inputs; <c>tests/LeakGuard.Benchmarks/fuzz.sh</c> runs for as long as asked.
/// </summary>
public sealed class ParserFuzzTests(RealSamples samples, ITestOutputHelper output) : IClassFixture<RealSamples>
{
    /// <summary>What one input may cost: members are read within the ratio floor (4 MiB beyond
    /// 200x) each, and a mutated archive declares many.</summary>
    private static long ExpansionLimit(int length) => 256L * 1024 * 1024 + 200L * length;

    private void Fuzz(string parser, string path, IReadOnlyList<byte[]> seeds, IReadOnlyList<string> dictionary)
    {
        // A sample the parser does not open fuzzes nothing.
        foreach (byte[] seed in seeds)
        {
            var harness = new ExpansionHarness(new ScanOptions());
            harness.Run(path, seed);
            Assert.True(harness.Members > 0, $"{parser}: a sample of {seed.Length:N0} bytes gave no members");
        }
        var outcome = new FuzzLoop
        {
            Parser = parser,
            Samples = seeds,
            Dictionary = dictionary,
            AllocationLimit = ExpansionLimit,
            Target = input => new ExpansionHarness(new ScanOptions()).Run(path, input),
        }.Run();
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, outcome.ToString());
    }

    [Fact]
    public void Fuzz_zip() => Fuzz("zip", "fuzz.zip", samples.Zip, FormatDictionaries.Zip);

    [Fact]
    public void Fuzz_tar() => Fuzz("tar", "fuzz.tar", samples.Tar, FormatDictionaries.Tar);

    [Fact]
    public void Fuzz_gzip() => Fuzz("gzip", "fuzz.tgz", samples.Gzip, FormatDictionaries.Gzip);

    [Fact]
    public void Fuzz_xz() => Fuzz("xz", "fuzz.tar.xz", samples.Xz, FormatDictionaries.Xz);

    [Fact]
    public void Fuzz_zstd() => Fuzz("zstd", "fuzz.tar.zst", samples.Zstd, FormatDictionaries.Zstd);

    [Fact]
    public void Fuzz_bzip2() => Fuzz("bzip2", "fuzz.tar.bz2", samples.Bzip2, FormatDictionaries.Bzip2);

    [Fact]
    public void Fuzz_7z() => Fuzz("7z", "fuzz.7z", samples.SevenZip, FormatDictionaries.SevenZip);

    [Fact]
    public void Fuzz_source_map() => Fuzz("source-map", "dist/cli.js.map", samples.SourceMaps, FormatDictionaries.SourceMap);

    [Fact]
    public void Fuzz_inline_source_map() => Fuzz("inline-source-map", "dist/inline.js", samples.InlineSourceMaps, FormatDictionaries.SourceMap);

    [Fact]
    public void Fuzz_scan_configuration()
    {
        string folder = Support.CoreTestKit.TempDirectory();
        var outcome = new FuzzLoop
        {
            Parser = "leakguard-yaml",
            Samples = [System.Text.Encoding.UTF8.GetBytes(Support.ConfigurationDocsExample.Yaml())],
            Dictionary = FormatDictionaries.ScanConfiguration,
            AllocationLimit = length => 64L * 1024 * 1024 + 1000L * length,
            // The loader reads the file as text; a bad file is a usage error naming line and key.
            Target = input => ScanConfiguration.Parse(System.Text.Encoding.UTF8.GetString(input), ".leakguard.yaml", folder),
            Expected = e => e is UsageException,
        }.Run();
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, outcome.ToString());
    }
}
