using System.IO.Compression;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Tests.Shared.Fuzzing;
using Xunit.Abstractions;

namespace LeakGuard.Core.Tests.Fuzzing;

/// <summary>Portable PDBs made by dotnet pack, standalone (.snupkg) and embedded in a DLL,
/// fuzzed as <see cref="ParserFuzzTests"/> fuzzes the other parsers.</summary>
[Collection(DotNetArtefactsCollection.Name)]
public sealed class PdbFuzzTests(DotNetArtefacts artefacts, ITestOutputHelper output)
{
    private static byte[] Entry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(name)!.Open();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData("Acme.Client.pdb")]
    [InlineData("Acme.Client.dll")]
    public void Fuzz_pdb(string file)
    {
        byte[] seed = file.EndsWith(".pdb", StringComparison.Ordinal)
            ? Entry(artefacts.SymbolPackage, "lib/net10.0/Acme.Client.pdb")
            : Entry(artefacts.EmbeddedPdbPackage, "lib/net10.0/Acme.Client.dll");
        var harness = new ExpansionHarness(new ScanOptions());
        harness.Run(file, seed);
        Assert.True(harness.Members > 0, $"{file}: the sample gave no members");
        var outcome = new FuzzLoop
        {
            Parser = $"pdb-{Path.GetExtension(file).TrimStart('.')}",
            Samples = [seed],
            Dictionary = FormatDictionaries.Pdb,
            AllocationLimit = length => 256L * 1024 * 1024 + 200L * length,
            Target = input => new ExpansionHarness(new ScanOptions()).Run(file, input),
        }.Run();
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, outcome.ToString());
    }
}
