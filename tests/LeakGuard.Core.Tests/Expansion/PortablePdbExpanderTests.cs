using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>NuGet packages made by dotnet pack with embedded sources, scanned through the whole pipeline.</summary>
[Collection(DotNetArtefactsCollection.Name)]
public class PortablePdbExpanderTests(DotNetArtefacts artefacts)
{
    private static ScanResult ScanFile(string path) => CoreTestKit.Scan(null, (Path.GetFileName(path), File.ReadAllBytes(path)));

    [Fact]
    public void Sources_embedded_in_a_dll_are_members_with_their_own_line_numbers()
    {
        var result = ScanFile(artefacts.EmbeddedPdbPackage);
        var secret = Assert.Single(result.Findings, f => f.RuleId == "test.github");
        Assert.StartsWith("Acme.Client.3.4.1.nupkg!lib/net10.0/Acme.Client.dll!", secret.Location.Path, StringComparison.Ordinal);
        Assert.EndsWith("/Acme.Client/Settings.cs", secret.Location.Path, StringComparison.Ordinal);
        Assert.Equal(5, secret.Location.Line);
    }

    [Fact]
    public void An_embedded_pdb_with_sources_is_an_exposure_naming_how_many_low_for_an_MIT_package()
    {
        var exposure = Assert.Single(ScanFile(artefacts.EmbeddedPdbPackage).Findings, f => f.RuleId == "leakguard.pdb-embedded-sources");
        Assert.Equal("Acme.Client.3.4.1.nupkg!lib/net10.0/Acme.Client.dll", exposure.Location.Path);
        Assert.Equal(FindingKind.Exposure, exposure.Kind);
        Assert.Equal(Severity.Low, exposure.Severity);
        Assert.Equal("Acme.Client.3.4.1.nupkg!Acme.Client.nuspec", exposure.Details["manifest"]);
        Assert.Equal("Acme.Client", exposure.Location.Package);
        // Settings.cs plus the files the SDK generates (assembly info, attributes), counted apart.
        Assert.True((int)exposure.Details["embeddedSources"]! >= 3);
        Assert.Equal(1, exposure.Details["firstParty"]);
        Assert.Equal((int)exposure.Details["embeddedSources"]! - 1, exposure.Details["generated"]);
        var example = Assert.Single(Assert.IsType<string[]>(exposure.Details["examples"]));
        Assert.EndsWith("/Acme.Client/Settings.cs", example, StringComparison.Ordinal);
    }

    [Fact]
    public void A_standalone_pdb_in_a_symbol_package_without_a_licence_is_critical()
    {
        var result = ScanFile(artefacts.SymbolPackage);
        var exposure = Assert.Single(result.Findings, f => f.RuleId == "leakguard.pdb-embedded-sources");
        Assert.Equal("Acme.Client.3.4.1.snupkg!lib/net10.0/Acme.Client.pdb", exposure.Location.Path);
        Assert.Equal(Severity.Critical, exposure.Severity);
        Assert.Equal(5, Assert.Single(result.Findings, f => f.RuleId == "test.github").Location.Line);
    }

    [Fact]
    public void Source_link_is_reported_with_the_repository_it_reveals()
    {
        var sourceLink = Assert.Single(ScanFile(artefacts.EmbeddedPdbPackage).Findings, f => f.RuleId == "leakguard.source-link");
        Assert.Equal("Acme.Client.3.4.1.nupkg!lib/net10.0/Acme.Client.dll", sourceLink.Location.Path);
        Assert.Equal(["https://github.com/acme/client"], Assert.IsType<string[]>(sourceLink.Details["repositories"]));
    }

    [Fact]
    public void A_truncated_pdb_is_a_warning_not_a_crash()
    {
        byte[] pdb = ExtractSymbolPdb();
        var result = CoreTestKit.Scan(null, ("Acme.Client.pdb", pdb[..(pdb.Length / 3)]));
        Assert.Contains(result.Warnings, w => w.Path == "Acme.Client.pdb" && w.Message.StartsWith("portable PDB is malformed", StringComparison.Ordinal));
    }

    /// <summary>Found by the fuzz test: with a stream count the header area cannot hold,
    /// System.Reflection.Metadata throws OverflowException, which the expander did not expect.</summary>
    [Theory]
    [InlineData(0x88F8)] // as found
    [InlineData(0xFFFF)]
    public void A_stream_count_past_the_headers_is_a_malformed_pdb_warning_and_the_rest_is_scanned(int count)
    {
        byte[] pdb = ExtractSymbolPdb();
        // Metadata root: "BSJB", versions, reserved, the version string's length and text, the
        // flags, then the stream count and the stream headers.
        int countAt = 16 + BitConverter.ToInt32(pdb, 12) + 2;
        BitConverter.GetBytes((ushort)count).CopyTo(pdb, countAt);

        var result = CoreTestKit.Scan(null, ("Acme.Client.pdb", pdb), ("other.txt", System.Text.Encoding.ASCII.GetBytes(CoreTestKit.GitHubToken)));

        Assert.Contains(result.Warnings, w => w.Path == "Acme.Client.pdb" && w.Message.StartsWith("portable PDB is malformed", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Location.Path == "other.txt");
    }

    private byte[] ExtractSymbolPdb()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(artefacts.SymbolPackage);
        using var stream = zip.GetEntry("lib/net10.0/Acme.Client.pdb")!.Open();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
