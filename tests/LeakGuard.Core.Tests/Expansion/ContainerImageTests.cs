using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>
/// Container images saved as files (issue 14): a real image built by podman
/// (<see cref="PodmanImage"/>), saved as docker-archive (plain tar layers), oci-archive (gzip
/// layers) and oci-archive with zstd layers, expanded layer by layer under the layers' digests,
/// with what the final image no longer holds marked, and the config scanned.
/// </summary>
public class ContainerImageTests
{
    public static TheoryData<string> Formats => ["docker-archive", "oci-archive", "zstd"];

    private static string Saved(string format) => format == "zstd" ? PodmanImage.Leaky.SaveZstd() : PodmanImage.Leaky.Save(format);

    private static ScanResult ScanImage(byte[] image) => CoreTestKit.Scan(null, ("image.tar", image));

    private static Finding Single(ScanResult result, string token) => Assert.Single(result.Findings, f => f.Secret == SecretText.Redact(token));

    [Theory]
    [MemberData(nameof(Formats))]
    public void Layers_are_expanded_under_their_digests_and_files_a_later_layer_hides_are_marked(string format)
    {
        var result = ScanImage(File.ReadAllBytes(Saved(format)));

        Assert.Empty(result.Warnings);
        var kept = Single(result, PodmanImage.KeptToken);
        Assert.Matches(@"^image\.tar!sha256:[0-9a-f]{64}!usr/app/keep\.js$", kept.Location.Path);
        Assert.False(kept.Details.ContainsKey("inFinalImage"));

        // Deleted by the RUN rm (a whiteout) and replaced by the last COPY: still reported, since the
        // bytes ship in the image, but marked as only in a lower layer.
        var deleted = Single(result, PodmanImage.DeletedToken);
        Assert.Matches(@"^image\.tar!sha256:[0-9a-f]{64}!usr/app/\.env$", deleted.Location.Path);
        Assert.Equal(false, deleted.Details["inFinalImage"]);
        Assert.Matches(@"^deleted in layer sha256:[0-9a-f]{64}$", (string)deleted.Details["hiddenBy"]!);
        var replaced = Single(result, PodmanImage.ReplacedToken);
        Assert.EndsWith("!usr/app/main.js", replaced.Location.Path);
        Assert.Equal(false, replaced.Details["inFinalImage"]);
        Assert.Matches(@"^replaced in layer sha256:[0-9a-f]{64}$", (string)replaced.Details["hiddenBy"]!);
        // The file and the deletion are in different layers, both named in the paths.
        Assert.Equal(LayerOf(deleted.Location.Path), LayerOf(kept.Location.Path));
        Assert.NotEqual(LayerOf(deleted.Location.Path), ((string)deleted.Details["hiddenBy"]!)["deleted in layer ".Length..]);

        // ENV ends up in the config's environment and history, the ARG in the RUN's created_by.
        var config = Assert.Single(result.Findings.Where(f => f.Secret == SecretText.Redact(PodmanImage.EnvToken)).Select(f => f.Location.Path).Distinct());
        Assert.Matches(@"^image\.tar!sha256:[0-9a-f]{64}$", config);
        Assert.Contains(result.Findings, f => f.Secret == SecretText.Redact(PodmanImage.ArgToken) && f.Location.Path == config);
    }

    private static string LayerOf(string path) => path.Split('!')[1];

    [Fact]
    public void A_layer_whose_bytes_do_not_match_its_digest_is_one_warning_and_is_still_scanned()
    {
        byte[] image = File.ReadAllBytes(Saved("docker-archive"));
        const string planted = "ghp_PlantedAfterTheBuildXw1cR7nB3dF6Pla6";
        Replace(image, PodmanImage.KeptToken, planted);

        var result = ScanImage(image);

        var warning = Assert.Single(result.Warnings);
        Assert.Matches(@"^image\.tar!sha256:[0-9a-f]{64}$", warning.Path);
        Assert.Contains("does not match its digest", warning.Message);
        Assert.Equal(LayerOf(warning.Path), LayerOf(Single(result, planted).Location.Path));
    }

    [Fact]
    public void An_image_whose_manifest_cannot_be_read_is_one_warning_and_is_expanded_as_a_plain_tar()
    {
        byte[] image = File.ReadAllBytes(Saved("docker-archive"));
        Replace(image, "[{\"Config\"", "[{\"Config\"".Replace('[', '('));

        var result = ScanImage(image);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("image.tar", warning.Path);
        Assert.StartsWith("container image not read: manifest.json is not valid JSON", warning.Message);
        // Nothing is lost: the layer tars are still members, scanned as archives.
        Assert.Matches(@"^image\.tar![0-9a-f]{64}\.tar!usr/app/keep\.js$", Single(result, PodmanImage.KeptToken).Location.Path);
    }

    [Fact]
    public void A_layer_that_is_a_decompression_bomb_is_cut_off_and_the_other_layers_are_scanned()
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "bomb"));
        using (var zeros = File.Create(Path.Join(dir, "bomb", "zeros.bin")))
        {
            zeros.SetLength(64 * 1024 * 1024);
        }
        CoreTestKit.Run(dir, "tar", "-czf", "bomb.tgz", "-C", "bomb", "zeros.bin");
        Directory.CreateDirectory(Path.Join(dir, "app"));
        File.WriteAllText(Path.Join(dir, "app", "main.js"), $"const t = \"{CoreTestKit.GitHubToken}\";\n");
        CoreTestKit.Run(dir, "tar", "-czf", "app.tgz", "-C", "app", "main.js");
        string layout = Path.Join(dir, "layout");
        string bomb = Blob(layout, File.ReadAllBytes(Path.Join(dir, "bomb.tgz")));
        string app = Blob(layout, File.ReadAllBytes(Path.Join(dir, "app.tgz")));
        string config = Blob(layout, """{"architecture":"amd64","os":"linux","config":{}}"""u8.ToArray());
        string manifest = Blob(layout, JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = config, size = 1 },
            layers = new[] { bomb, app }.Select(d => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = d, size = 1 }),
        }));
        File.WriteAllText(Path.Join(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Join(layout, "index.json"), $$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{manifest}}","size":1}]}""");
        CoreTestKit.Run(layout, "tar", "-cf", "../image.tar", "oci-layout", "index.json", "blobs");

        var result = ScanImage(File.ReadAllBytes(Path.Join(dir, "image.tar")));

        var bombFinding = Assert.Single(result.Findings, f => f.RuleId == AnalyzerRules.ArchiveBomb.Id);
        Assert.Equal($"image.tar!{bomb}", bombFinding.Location.Path);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal($"image.tar!{bomb}", warning.Path);
        Assert.Equal($"image.tar!{app}!main.js", Single(result, CoreTestKit.GitHubToken).Location.Path);
    }

    /// <summary>Writes <paramref name="content"/> as an OCI layout blob and returns its digest.</summary>
    private static string Blob(string layout, byte[] content)
    {
        string hex = Convert.ToHexStringLower(SHA256.HashData(content));
        Directory.CreateDirectory(Path.Join(layout, "blobs", "sha256"));
        File.WriteAllBytes(Path.Join(layout, "blobs", "sha256", hex), content);
        return "sha256:" + hex;
    }

    /// <summary>Overwrites every occurrence of <paramref name="from"/> with <paramref name="to"/> (same length).</summary>
    private static void Replace(byte[] bytes, string from, string to)
    {
        byte[] find = Encoding.ASCII.GetBytes(from);
        byte[] with = Encoding.ASCII.GetBytes(to);
        Assert.Equal(find.Length, with.Length);
        int replaced = 0;
        int at;
        while ((at = bytes.AsSpan().IndexOf(find)) >= 0)
        {
            with.CopyTo(bytes, at);
            replaced++;
        }
        Assert.True(replaced > 0, $"'{from}' is not in the image");
    }
}
