using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Exposure;

/// <summary>
/// Which manifest decides a map's severity when a package ships more than one package.json:
/// {"type": "module"} stubs in dist/esm/ and dist/cjs/, sub-path manifests such as
/// compat/package.json. Packed by npm pack and installed by npm install, bundled by esbuild.
/// </summary>
public class NestedManifestTests
{
    private const string Mit = "\"license\": \"MIT\"";
    private const string Unlicensed = "\"license\": \"UNLICENSED\"";

    private static ScanResult ScanFile(string path) => CoreTestKit.Scan(null, (Path.GetFileName(path), File.ReadAllBytes(path)));

    /// <summary>Every file under <paramref name="folder"/> as a loose input, named from the folder's parent.</summary>
    private static ScanResult ScanFolder(string folder)
    {
        string root = Path.GetDirectoryName(folder)!;
        return CoreTestKit.Scan(null, [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes(f)))]);
    }

    private static List<Finding> MapExposures(ScanResult result) =>
        [.. result.Findings.Where(f => f.RuleId is "leakguard.source-map-sources" or "leakguard.map-in-closed-package").OrderBy(f => f.Location.Path, StringComparer.Ordinal)];

    /// <summary>The package built twice, as ES module and CommonJS, each beside its one-line stub.</summary>
    private static NpmArtefact WithStubs(string manifestFields) =>
        NpmArtefact.Create(manifestFields)
            .Write("dist/esm/package.json", """{"type":"module"}""")
            .Write("dist/cjs/package.json", """{"type":"commonjs"}""")
            .BundleTo("dist/esm/cli.js", "--format=esm", "--sourcemap")
            .BundleTo("dist/cjs/cli.js", "--format=cjs", "--sourcemap");

    [Fact]
    public void Stub_manifests_in_a_tarball_are_skipped_for_the_package_s_own()
    {
        var exposures = MapExposures(ScanFile(WithStubs(Mit).Pack()));
        Assert.Equal(["acme-cli-2.1.0.tgz!package/dist/cjs/cli.js.map", "acme-cli-2.1.0.tgz!package/dist/esm/cli.js.map"], exposures.Select(f => f.Location.Path));
        Assert.All(exposures, f =>
        {
            Assert.Equal("leakguard.source-map-sources", f.RuleId);
            Assert.Equal(Severity.Low, f.Severity);
            Assert.Equal("acme-cli-2.1.0.tgz!package/package.json", f.Details["manifest"]);
            Assert.Equal("@acme/cli", f.Location.Package);
        });
    }

    [Fact]
    public void Stub_manifests_do_not_open_a_closed_package()
    {
        var exposures = MapExposures(ScanFile(WithStubs(Unlicensed).Pack()));
        Assert.Equal(2, exposures.Count);
        Assert.All(exposures, f =>
        {
            Assert.Equal(Severity.Critical, f.Severity);
            Assert.Equal("not open source: UNLICENSED", f.Details["licenseVerdict"]);
        });
    }

    [Theory]
    // A sub-path manifest without a licence has its package's; "private" there says nothing about it.
    [InlineData(Mit, "\"name\": \"@acme/cli/compat\", \"private\": true, \"main\": \"dist/cli.js\"", Severity.Low)]
    [InlineData(Mit, "\"name\": \"@acme/cli-compat\", \"version\": \"2.1.0\", \"main\": \"dist/cli.js\"", Severity.Low)]
    [InlineData(Unlicensed, "\"name\": \"@acme/cli/compat\", \"private\": true", Severity.Critical)]
    [InlineData(Unlicensed, "\"name\": \"@acme/cli-compat\", \"version\": \"2.1.0\"", Severity.Critical)]
    // A nested manifest that declares a licence of its own has that one.
    [InlineData(Mit, "\"name\": \"@acme/cli-compat\", \"version\": \"2.1.0\", \"license\": \"UNLICENSED\"", Severity.Critical)]
    [InlineData(Unlicensed, "\"name\": \"@acme/cli-compat\", \"version\": \"2.1.0\", \"license\": \"Apache-2.0\"", Severity.Low)]
    public void A_nested_manifest_inherits_the_package_s_licence_unless_it_declares_its_own(string rootFields, string compatFields, Severity expected)
    {
        string tgz = NpmArtefact.Create(rootFields)
            .Write("compat/package.json", $$"""{ {{compatFields}} }""")
            .BundleTo("compat/dist/cli.js", "--sourcemap")
            .Pack();
        var exposure = Assert.Single(MapExposures(ScanFile(tgz)));
        Assert.Equal("acme-cli-2.1.0.tgz!package/compat/dist/cli.js.map", exposure.Location.Path);
        Assert.Equal(expected, exposure.Severity);
        Assert.Equal("acme-cli-2.1.0.tgz!package/compat/package.json", exposure.Details["manifest"]);
    }

    [Fact]
    public void In_node_modules_on_disk_the_manifest_is_the_nearest_that_names_a_package()
    {
        var artefact = WithStubs(Mit);
        // Like a project that installs the package: its own manifest is private and has no licence.
        string consumer = artefact.InstallInto(artefact.Pack(), """{ "name": "consumer", "version": "1.0.0", "private": true }""");
        var exposures = MapExposures(ScanFolder(consumer));
        Assert.Equal(["consumer/node_modules/@acme/cli/dist/cjs/cli.js.map", "consumer/node_modules/@acme/cli/dist/esm/cli.js.map"], exposures.Select(f => f.Location.Path));
        Assert.All(exposures, f =>
        {
            Assert.Equal(Severity.Low, f.Severity);
            Assert.Equal("consumer/node_modules/@acme/cli/package.json", f.Details["manifest"]);
        });
    }

    [Fact]
    public void An_installed_package_without_a_licence_does_not_take_the_licence_of_the_project_around_it()
    {
        var artefact = WithStubs("\"description\": \"no licence field\"");
        string consumer = artefact.InstallInto(artefact.Pack(), """{ "name": "consumer", "version": "1.0.0", "license": "MIT" }""");
        var exposures = MapExposures(ScanFolder(consumer));
        Assert.Equal(2, exposures.Count);
        Assert.All(exposures, f =>
        {
            Assert.Equal(Severity.Critical, f.Severity);
            Assert.Equal("not open source: no licence declared", f.Details["licenseVerdict"]);
        });
    }
}
