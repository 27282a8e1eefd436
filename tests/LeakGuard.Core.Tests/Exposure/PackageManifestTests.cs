using System.Text;
using LeakGuard.Core.Exposure;

namespace LeakGuard.Core.Tests.Exposure;

public class PackageManifestTests
{
    private static PackageManifest? Read(string path, string text, params string[] protectedNames) =>
        PackageManifest.TryRead(path, Encoding.UTF8.GetBytes(text), protectedNames);

    [Fact]
    public void The_deprecated_licenses_array_counts_any_listed_licence()
    {
        var manifest = Read("package/package.json", """{ "name": "old", "licenses": [ { "type": "MIT", "url": "x" }, { "type": "GPL-2.0" } ] }""");
        Assert.True(manifest!.OpenSource);
        Assert.Equal("MIT OR GPL-2.0", manifest.License);
    }

    [Fact]
    public void A_nuspec_licence_expression_is_read_and_a_licence_file_not_yet_read_is_unknown()
    {
        var open = Read("Acme.nuspec", """<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>Acme</id><version>1.0.0</version><license type="expression">Apache-2.0</license></metadata></package>""");
        Assert.True(open!.OpenSource);
        Assert.Equal("Acme", open.Name);
        var file = Read("Acme.nuspec", """<package><metadata><id>Acme</id><license type="file">EULA.txt</license></metadata></package>""");
        Assert.Equal(LicenseStatus.Unknown, file!.Status);
        Assert.Equal("EULA.txt", file.LicenseFile);
        Assert.StartsWith("unknown: the licence file EULA.txt is not in the package", file.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stub_says_nothing_about_a_package_and_a_sub_path_manifest_does()
    {
        Assert.False(Read("package/dist/esm/package.json", """{"type":"module"}""")!.Speaks);
        Assert.False(Read("package/build/esm/package.json", """{"type":"module","version":"11.12.0","sideEffects":false}""")!.Speaks);
        Assert.True(Read("package/compat/package.json", """{"name":"firebase/compat","private":true}""")!.Speaks);
        Assert.True(Read("package/dist/compiled/glob/package.json", """{"name":"glob","license":"ISC"}""")!.Speaks);
    }

    [Fact]
    public void Npm_see_license_in_a_file_holding_an_open_source_licence_is_open_source()
    {
        var index = new ManifestIndex();
        index.Add(Read("pkg.tgz!package/package.json", """{ "name": "acme", "version": "1.0.0", "license": "SEE LICENSE IN LICENSE.md" }""")!);
        index.AddLicenseText("pkg.tgz!package/LICENSE.md", LicenseTexts.Identify(Encoding.UTF8.GetBytes("ISC License\n\nPermission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies.")));
        var manifest = index.For("pkg.tgz!package/dist/cli.js.map");
        Assert.True(manifest!.OpenSource);
        Assert.Equal("ISC", manifest.License);
        // Without the file, npm's own meaning of SEE LICENSE IN stands: a custom licence.
        var alone = Read("package/package.json", """{ "name": "acme", "version": "1.0.0", "license": "SEE LICENSE IN LICENSE.md" }""");
        Assert.Equal(LicenseStatus.NotOpenSource, alone!.Status);
    }

    [Fact]
    public void A_nuspec_with_a_DTD_is_not_read()
    {
        Assert.Null(Read("Evil.nuspec", """<?xml version="1.0"?><!DOCTYPE package [<!ENTITY x "y">]><package><metadata><id>&x;</id></metadata></package>"""));
    }

    [Fact]
    public void A_file_named_package_json_that_is_not_a_manifest_decides_nothing()
    {
        Assert.Null(Read("package/test/fixtures/package.json", "{ this is not json"));
        Assert.Null(Read("package/package.json", "[1, 2, 3]"));
    }

    [Fact]
    public void Only_manifest_file_names_are_manifests()
    {
        Assert.True(PackageManifest.IsManifestName("package/package.json"));
        Assert.True(PackageManifest.IsManifestName("package.json"));
        Assert.True(PackageManifest.IsManifestName("Acme.Client.nuspec"));
        Assert.False(PackageManifest.IsManifestName("package/not-package.json"));
    }
}
