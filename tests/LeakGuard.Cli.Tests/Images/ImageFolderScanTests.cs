using System.Text.Json;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Cli.Tests.Images;

/// <summary>An OCI image layout folder (<c>podman save --format oci-dir</c>) is scanned as one
/// image, whether it is the folder named or a folder inside it.</summary>
public class ImageFolderScanTests
{
    [Fact]
    public void An_oci_layout_folder_is_scanned_as_an_image_not_as_a_pile_of_blobs()
    {
        string layout = PodmanImage.Leaky.SaveDirectory();
        string parent = Directory.CreateTempSubdirectory("leakguard-oci-dir-").FullName;
        string inside = Path.Join(parent, "images", "leaky");
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        Registry.ExternalTool.Run(parent, "cp", "-r", layout, inside);

        foreach (var (target, prefix) in new[] { (layout, layout), (parent, inside) })
        {
            var outcome = CliRunner.Run("scan", "--format", "json", target);

            Assert.Equal(1, outcome.ExitCode);
            using var report = JsonDocument.Parse(outcome.Stdout);
            Assert.Empty(report.RootElement.GetProperty("warnings").EnumerateArray());
            var paths = report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("location").GetProperty("path").GetString()!).ToList();
            Assert.Contains(paths, p => System.Text.RegularExpressions.Regex.IsMatch(p, $@"^{System.Text.RegularExpressions.Regex.Escape(prefix)}!sha256:[0-9a-f]{{64}}!usr/app/keep\.js$"));
            // No blob is scanned on its own: every finding is inside the image.
            Assert.All(paths, p => Assert.StartsWith(prefix + "!sha256:", p));
        }
    }
}
