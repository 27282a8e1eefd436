using System.IO.Compression;
using System.Text;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Exposure;

/// <summary>A NuGet package whose licence is a file in it (&lt;license type="file"&gt;), made by
/// dotnet pack: the file is read and recognised, not taken as "not open source" unread.</summary>
public class NuGetLicenseTests(DotNetLicenseArtefacts artefacts) : IClassFixture<DotNetLicenseArtefacts>
{
    private static Finding PdbExposure(ScanResult result) => Assert.Single(result.Findings, f => f.RuleId == "leakguard.pdb-embedded-sources");

    private static ScanResult ScanFile(string path) => CoreTestKit.Scan(null, (Path.GetFileName(path), File.ReadAllBytes(path)));

    [Theory]
    [InlineData("mit", Severity.Low, "open source: MIT (the licence text in LICENSE.txt)")]
    [InlineData("proprietary", Severity.Critical, "not open source: LICENSE.txt is a proprietary licence")]
    [InlineData("unheard-of", Severity.Medium, "unknown: the licence file LICENSE.txt is not a licence text LeakGuard recognises")]
    public void A_licence_file_is_read_and_recognised(string licence, Severity expected, string verdict)
    {
        var exposure = PdbExposure(ScanFile(artefacts.LicensedPackage(licence)));
        Assert.Equal("Acme.Licensed.3.4.1.nupkg!lib/net10.0/Acme.Licensed.dll", exposure.Location.Path);
        Assert.Equal(expected, exposure.Severity);
        Assert.StartsWith(verdict, (string?)exposure.Details["licenseVerdict"], StringComparison.Ordinal);
        Assert.Equal("Acme.Licensed.3.4.1.nupkg!Acme.Licensed.nuspec", exposure.Details["manifest"]);
    }

    [Fact]
    public void An_unknown_licence_says_so_and_that_it_is_at_most_medium()
    {
        var exposure = PdbExposure(ScanFile(artefacts.LicensedPackage("unheard-of")));
        Assert.Contains("at most medium", (string?)exposure.Details["licenseVerdict"], StringComparison.Ordinal);
    }

    [Fact]
    public void In_an_extracted_package_folder_the_licence_file_beside_the_nuspec_is_read()
    {
        // The layout of ~/.nuget/packages: the package's files, lower-cased nuspec beside them.
        string folder = Path.Join(CoreTestKit.TempDirectory(), "acme.licensed", "3.4.1");
        ZipFile.ExtractToDirectory(artefacts.LicensedPackage("mit"), folder);
        File.Move(Path.Join(folder, "Acme.Licensed.nuspec"), Path.Join(folder, "acme.licensed.nuspec"));
        string root = Path.GetDirectoryName(Path.GetDirectoryName(folder))!;
        var result = CoreTestKit.Scan(null, [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes(f)))]);
        var exposure = PdbExposure(result);
        Assert.Equal("acme.licensed/3.4.1/lib/net10.0/Acme.Licensed.dll", exposure.Location.Path);
        Assert.Equal(Severity.Low, exposure.Severity);
        Assert.Equal("MIT", exposure.Details["license"]);
    }

    [Theory]
    [InlineData("https://opensource.org/licenses/MIT", true)]
    [InlineData("http://www.apache.org/licenses/LICENSE-2.0", true)]
    [InlineData("https://licenses.nuget.org/BSD-3-Clause", true)]
    [InlineData("https://www.gnu.org/licenses/lgpl-3.0.en.html", true)]
    [InlineData("https://github.com/acme/client/blob/main/LICENSE", false)]
    [InlineData("https://aka.ms/deprecateLicenseUrl", false)]
    public void A_licence_url_on_a_well_known_licence_page_is_that_licence_and_any_other_is_unknown(string url, bool open)
    {
        var manifest = PackageManifest.TryRead("Acme.nuspec", Encoding.UTF8.GetBytes($"""<package><metadata><id>Acme</id><version>1.0.0</version><licenseUrl>{url}</licenseUrl></metadata></package>"""), []);
        Assert.Equal(open, manifest!.OpenSource);
        Assert.StartsWith(open ? "open source" : "unknown", manifest.Verdict, StringComparison.Ordinal);
    }
}
