using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>An assembly built by dotnet build with EmbedAllSources whose PDB holds only the files
/// the SDK generates: that exposes no authored code, whatever the package's licence.</summary>
public class PdbGeneratedSourcesTests(GeneratedOnlyAssembly assembly) : IClassFixture<GeneratedOnlyAssembly>
{
    private static ScanResult ScanFile(string path) => CoreTestKit.Scan(null, (Path.GetFileName(path), File.ReadAllBytes(path)));

    [Fact]
    public void Only_generated_sources_in_a_package_without_a_licence_are_an_info_note()
    {
        var exposure = Assert.Single(ScanFile(assembly.Package).Findings, f => f.RuleId == "leakguard.pdb-embedded-sources");
        Assert.Equal("Acme.Generated.1.0.0.nupkg!lib/net10.0/Acme.Generated.dll", exposure.Location.Path);
        Assert.Equal(Severity.Info, exposure.Severity);
        Assert.Equal(exposure.Details["embeddedSources"], exposure.Details["generated"]);
        Assert.Equal(0, exposure.Details["firstParty"]);
        Assert.Empty(Assert.IsType<string[]>(exposure.Details["examples"]));
        Assert.Contains("no authored code", (string?)exposure.Details["note"], StringComparison.Ordinal);
    }

    [Fact]
    public void Only_generated_sources_in_an_assembly_with_no_manifest_are_an_info_note()
    {
        var result = ScanFile(assembly.Dll);
        Assert.Equal(Severity.Info, Assert.Single(result.Findings, f => f.RuleId == "leakguard.pdb-embedded-sources").Severity);
        Assert.DoesNotContain(result.Findings, f => f.Severity >= Severity.Medium);
    }
}
