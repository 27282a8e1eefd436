using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests;

/// <summary>`leakguard scan` over an npm tarball that ships a source map with its sources, bundled
/// by esbuild (tests/setup/artefacts.sh installs it) and packed by npm pack.</summary>
public class ReleaseArtefactScanTests
{
    private static string Esbuild =>
        Path.Join(Environment.GetEnvironmentVariable("LEAKGUARD_TEST_TOOLS") is { Length: > 0 } tools ? tools : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "leakguard-test-tools"),
            "node_modules", ".bin", "esbuild");

    private static string PackMitLicensedCli()
    {
        string project = Path.Join(CliRunner.TempDirectory(), "cli");
        Directory.CreateDirectory(Path.Join(project, "src"));
        File.WriteAllText(Path.Join(project, "package.json"), """{ "name": "@acme/cli", "version": "2.1.0", "license": "MIT", "files": ["dist"] }""");
        File.WriteAllText(Path.Join(project, "src", "main.ts"), "export const greeting: string = \"hello\";\nconsole.log(greeting);\n");
        Assert.True(File.Exists(Esbuild), $"{Esbuild} is missing: run tests/setup/artefacts.sh (./test does)");
        ExternalTool.Run(project, Esbuild, "src/main.ts", "--bundle", "--platform=node", "--log-level=warning", "--sourcemap", "--outfile=dist/cli.js");
        ExternalTool.Run(project, "npm", "pack", "--silent", "--ignore-scripts", "--cache", Path.Join(project, ".npm-cache"));
        return Path.Join(project, "acme-cli-2.1.0.tgz");
    }

    private static JsonElement Exposure(string report) =>
        JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("ruleId").GetString() == "leakguard.source-map-sources");

    [Fact]
    public void An_open_source_package_s_map_is_low_unless_the_package_is_protected()
    {
        string tgz = PackMitLicensedCli();
        string report = Path.Join(Path.GetDirectoryName(tgz)!, "report.json");
        Assert.Equal(0, CliRunner.Run("scan", tgz, "--format", "json", "--output", report, "--no-progress").ExitCode);
        var exposure = Exposure(report);
        Assert.Equal("low", exposure.GetProperty("severity").GetString());
        Assert.Equal("exposure", exposure.GetProperty("kind").GetString());
        Assert.EndsWith("/acme-cli-2.1.0.tgz!package/dist/cli.js.map", exposure.GetProperty("location").GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, exposure.GetProperty("details").GetProperty("embeddedSources").GetInt32());

        Assert.Equal(1, CliRunner.Run("scan", tgz, "--format", "json", "--output", report, "--no-progress", "--protect", "@acme/cli").ExitCode);
        Assert.Equal("critical", Exposure(report).GetProperty("severity").GetString());
    }

    /// <summary>A package built as ES module and CommonJS, each in a folder with its one-line
    /// {"type": …} stub manifest, packed by npm pack with the licence fields given.</summary>
    private static string PackWithStubManifests(string licenceFields)
    {
        string project = Path.Join(CliRunner.TempDirectory(), "cli");
        Directory.CreateDirectory(Path.Join(project, "src"));
        Directory.CreateDirectory(Path.Join(project, "dist", "esm"));
        Directory.CreateDirectory(Path.Join(project, "dist", "cjs"));
        File.WriteAllText(Path.Join(project, "package.json"), $$"""{ "name": "@acme/cli", "version": "2.1.0", {{licenceFields}} "files": ["dist"] }""");
        File.WriteAllText(Path.Join(project, "dist", "esm", "package.json"), """{"type":"module"}""");
        File.WriteAllText(Path.Join(project, "dist", "cjs", "package.json"), """{"type":"commonjs"}""");
        File.WriteAllText(Path.Join(project, "src", "main.ts"), "export const greeting: string = \"hello\";\nconsole.log(greeting);\n");
        Assert.True(File.Exists(Esbuild), $"{Esbuild} is missing: run tests/setup/artefacts.sh (./test does)");
        ExternalTool.Run(project, Esbuild, "src/main.ts", "--bundle", "--platform=node", "--log-level=warning", "--sourcemap", "--format=esm", "--outfile=dist/esm/cli.js");
        ExternalTool.Run(project, Esbuild, "src/main.ts", "--bundle", "--platform=node", "--log-level=warning", "--sourcemap", "--format=cjs", "--outfile=dist/cjs/cli.js");
        ExternalTool.Run(project, "npm", "pack", "--silent", "--ignore-scripts", "--cache", Path.Join(project, ".npm-cache"));
        return Path.Join(project, "acme-cli-2.1.0.tgz");
    }

    private static JsonElement[] ExposuresAtOrAbove(string report, params string[] severities) =>
        [.. JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("kind").GetString() == "exposure" && severities.Contains(f.GetProperty("severity").GetString()))];

    [Fact]
    public void Stub_manifests_below_an_open_source_package_s_own_do_not_make_its_maps_critical()
    {
        string tgz = PackWithStubManifests("\"license\": \"MIT\",");
        string report = Path.Join(Path.GetDirectoryName(tgz)!, "report.json");
        Assert.Equal(0, CliRunner.Run("scan", tgz, "--format", "json", "--output", report, "--no-progress", "--fail-on", "medium").ExitCode);
        Assert.Empty(ExposuresAtOrAbove(report, "medium", "high", "critical"));
    }

    [Fact]
    public void A_closed_package_s_maps_are_critical_one_finding_each_whatever_stubs_sit_beside_them()
    {
        string tgz = PackWithStubManifests("");
        string report = Path.Join(Path.GetDirectoryName(tgz)!, "report.json");
        Assert.Equal(1, CliRunner.Run("scan", tgz, "--format", "json", "--output", report, "--no-progress").ExitCode);
        var exposures = ExposuresAtOrAbove(report, "medium", "high", "critical");
        Assert.Equal(2, exposures.Length);
        Assert.All(exposures, f =>
        {
            Assert.Equal("leakguard.source-map-sources", f.GetProperty("ruleId").GetString());
            Assert.Equal("critical", f.GetProperty("severity").GetString());
            Assert.EndsWith("!package/package.json", f.GetProperty("details").GetProperty("manifest").GetString(), StringComparison.Ordinal);
        });
    }
}
