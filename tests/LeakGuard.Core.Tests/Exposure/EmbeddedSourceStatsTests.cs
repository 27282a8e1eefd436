using LeakGuard.Core.Exposure;

namespace LeakGuard.Core.Tests.Exposure;

public class EmbeddedSourceStatsTests
{
    [Theory]
    [InlineData("/_/src/Acme/obj/Release/net10.0/Acme.AssemblyInfo.cs", true)]
    [InlineData("/_/src/Acme/obj/Release/net10.0/.NETCoreApp,Version=v10.0.AssemblyAttributes.cs", true)]
    [InlineData("/_/src/Acme/obj/Release/net10.0/Acme.GlobalUsings.g.cs", true)]
    [InlineData("/_/artifacts/obj/Acme/Release/net10.0/System.Text.RegularExpressions.Generator/System.Text.RegularExpressions.Generator.RegexGenerator/RegexGenerator.g.cs", true)]
    [InlineData("/__w/1/s/src/fsharp/artifacts/obj/FSharp.Core/Release/netstandard2.0/FSCore.fs", true)]
    [InlineData(@"C:\build\Acme\obj\Release\net48\Acme.AssemblyInfo.cs", true)]
    [InlineData("/src/Acme.Wpf/Views/MainWindow.g.i.cs", true)]
    [InlineData("/src/Acme/Properties/Resources.Designer.cs", true)]
    [InlineData("/src/Acme/Properties/AssemblyInfo.cs", false)]
    [InlineData("/src/Acme/Settings.cs", false)]
    [InlineData("/src/Acme/Objects/Player.cs", false)]
    public void Generated_sources_are_told_by_their_path(string path, bool generated)
    {
        Assert.Equal(generated, EmbeddedSourceStats.IsCompilerGenerated(path));
    }

    [Theory]
    [InlineData("/_1/wcwidth.sources/4.0.1/contentFiles/cs/net10.0/External/Wcwidth/Tables/WideTable.cs", true)]
    [InlineData("/home/ci/.nuget/packages/acme.client/1.0.0/lib/Client.cs", true)]
    [InlineData("../node_modules/tiny-pad/index.js", true)]
    [InlineData("/_/src/Acme/contentFiles/Readme.cs", false)]
    [InlineData("../src/main.ts", false)]
    public void Bundled_dependencies_and_source_packages_are_third_party(string path, bool expected)
    {
        Assert.Equal(expected, EmbeddedSourceStats.IsThirdParty(path));
    }

    [Fact]
    public void Generated_sources_are_neither_first_nor_third_party_nor_examples()
    {
        var stats = new EmbeddedSourceStats();
        stats.Add("/_/src/Acme/obj/Release/net10.0/Acme.AssemblyInfo.cs", 100, generated: true);
        stats.Add("/_/src/Acme/Settings.cs", 50);
        var details = stats.Describe();
        Assert.Equal(1, details["generated"]);
        Assert.Equal(1, details["firstParty"]);
        Assert.Equal(["/_/src/Acme/Settings.cs"], Assert.IsType<string[]>(details["examples"]));
        Assert.False(stats.OnlyGenerated);
    }
}

/// <summary>How bad an embedded-source exposure is depends on whose sources are exposed.</summary>
public class EmbeddedSourceSeverityTests
{
    private static LeakGuard.Core.Findings.Finding Settle(params (string Path, bool Generated)[] sources)
    {
        var stats = new EmbeddedSourceStats();
        foreach (var (path, generated) in sources)
        {
            stats.Add(path, 100, generated);
        }
        var dll = new LeakGuard.Core.Scanning.Blob { Path = "tools/Vendor.Console.dll", Content = Array.Empty<byte>() };
        var exposure = new EmbeddedSourceExposure(LeakGuard.Core.Scanning.AnalyzerRules.PdbEmbeddedSources, dll, stats);
        return ExposureFindings.ForEmbeddedSources(exposure, new ManifestIndex(), referencedBy: null);
    }

    [Fact]
    public void Only_bundled_dependencies_and_build_output_expose_none_of_the_publishers_code()
    {
        // The shape of an assembly built with EmbedUntrackedSources that pulls in a source-only
        // package: the package's contentFiles and the SDK's obj/ files are all it embeds.
        var finding = Settle(
            ("/_1/wcwidth.sources/4.0.1/contentFiles/cs/net10.0/External/Wcwidth/Tables/WideTable.cs", false),
            ("/_/src/Vendor/obj/Release/net10.0/Vendor.AssemblyInfo.cs", true));
        Assert.Equal(LeakGuard.Core.Findings.Severity.Low, finding.Severity);
        Assert.Contains("none of the publisher's own code", (string?)finding.Details["note"], StringComparison.Ordinal);
    }

    [Fact]
    public void One_source_of_the_publishers_own_keeps_the_exposure_high_without_a_manifest()
    {
        var finding = Settle(
            ("/_1/wcwidth.sources/4.0.1/contentFiles/cs/net10.0/External/Wcwidth/Tables/WideTable.cs", false),
            ("/_/src/Vendor/Console.cs", false));
        Assert.Equal(LeakGuard.Core.Findings.Severity.High, finding.Severity);
    }

    [Fact]
    public void Build_machine_paths_keep_a_dependency_only_exposure_at_medium()
    {
        var finding = Settle(("/home/alice/.nuget/packages/acme.client/1.0.0/lib/Client.cs", false));
        Assert.Equal(LeakGuard.Core.Findings.Severity.Medium, finding.Severity);
    }
}
