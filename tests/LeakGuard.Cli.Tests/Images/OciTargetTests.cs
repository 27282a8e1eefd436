using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Cli.Tests.Images;

/// <summary>
/// <c>scan oci:HOST/REPO:TAG</c> against a real registry (<see cref="DistributionRegistry"/>)
/// holding the image podman built and pushed (<see cref="PodmanImage"/>), and the hostile cases:
/// a blob the registry serves changed, a manifest declaring a huge blob, a redirect loop, a
/// registry that wants credentials. Each registry is started for its test and killed after it.
/// </summary>
public class OciTargetTests
{
    private static JsonDocument ScanJson(out CliRunner.Outcome outcome, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        outcome = CliRunner.RunWithEnvironment(environment ?? new Dictionary<string, string>(), ["scan", "--format", "json", .. args]);
        Assert.True(outcome.ExitCode is 0 or 1, outcome.Stderr);
        return JsonDocument.Parse(outcome.Stdout);
    }

    private static List<(string Path, string? Secret, JsonElement Details)> Findings(JsonDocument report) =>
        [.. report.RootElement.GetProperty("findings").EnumerateArray().Select(f =>
            (f.GetProperty("location").GetProperty("path").GetString()!, f.GetProperty("secret").GetString(), f.GetProperty("details")))];

    private static List<(string Path, string Message)> Warnings(JsonDocument report) =>
        [.. report.RootElement.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("path").GetString()!, w.GetProperty("message").GetString()!))];

    private static string Redacted(string token) => $"{token[..4]}…{token[^4..]}";

    /// <summary>The manifest the registry holds for a tag, and its digest.</summary>
    private static (JsonDocument Manifest, string Digest) Manifest(DistributionRegistry registry, string repository, string tag)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Host}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        byte[] body = client.Send(request).EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        return (JsonDocument.Parse(body), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)));
    }

    [Fact]
    public void An_image_is_pulled_by_tag_and_by_digest_and_its_layers_and_config_are_scanned()
    {
        using var registry = new DistributionRegistry();
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1");
        string digest = Manifest(registry, "leaky", "1").Digest;

        foreach (string target in new[] { $"oci:{registry.Host}/leaky:1", $"oci:{registry.Host}/leaky@{digest}" })
        {
            using var report = ScanJson(out var outcome, null, target);

            Assert.Equal(1, outcome.ExitCode);
            Assert.Empty(Warnings(report));
            var findings = Findings(report);
            var kept = Assert.Single(findings, f => f.Secret == Redacted(PodmanImage.KeptToken));
            Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(target)}!sha256:[0-9a-f]{{64}}!usr/app/keep\.js$", kept.Path);
            var deleted = Assert.Single(findings, f => f.Secret == Redacted(PodmanImage.DeletedToken));
            Assert.False(deleted.Details.GetProperty("inFinalImage").GetBoolean());
            Assert.StartsWith("deleted in layer sha256:", deleted.Details.GetProperty("hiddenBy").GetString());
            Assert.Contains(findings, f => f.Secret == Redacted(PodmanImage.EnvToken) && f.Path.StartsWith(target + "!sha256:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_multi_platform_image_is_scanned_for_linux_amd64_or_for_every_platform()
    {
        using var registry = new DistributionRegistry();
        PodmanImage.Leaky.PushMultiPlatform($"docker://{registry.Host}/leaky:multi");
        string target = $"oci:{registry.Host}/leaky:multi";

        using (var amd64 = ScanJson(out _, null, target))
        {
            var findings = Findings(amd64);
            Assert.Contains(findings, f => f.Secret == Redacted(PodmanImage.KeptToken) && f.Path.StartsWith(target + "!sha256:", StringComparison.Ordinal));
            Assert.DoesNotContain(findings, f => f.Secret == Redacted(PodmanImage.ArmToken));
        }
        using var all = ScanJson(out _, null, target, "--all-platforms");
        var everything = Findings(all);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(target)}\[linux/arm64\]!sha256:[0-9a-f]{{64}}!arm\.js$",
            Assert.Single(everything, f => f.Secret == Redacted(PodmanImage.ArmToken)).Path);
        Assert.StartsWith($"{target}[linux/amd64]!sha256:", Assert.Single(everything, f => f.Secret == Redacted(PodmanImage.KeptToken)).Path);
    }

    [Fact]
    public void Diff_of_two_tags_compares_files_by_their_path_in_the_image_whatever_layer_holds_them()
    {
        using var registry = new DistributionRegistry();
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1");
        PodmanImage.Leaky.PushSecondVersion($"docker://{registry.Host}/leaky:2");

        var outcome = CliRunner.Run("diff", "--format", "json", $"oci:{registry.Host}/leaky:1", $"oci:{registry.Host}/leaky:2");

        Assert.Equal(1, outcome.ExitCode);
        using var diff = JsonDocument.Parse(outcome.Stdout);
        var files = diff.RootElement.GetProperty("files");
        var added = files.GetProperty("added").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["usr/app/new.js"], added);
        Assert.Empty(files.GetProperty("removed").EnumerateArray());
        var fresh = Assert.Single(diff.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(Redacted(PodmanImage.SecondVersionToken), fresh.GetProperty("secret").GetString());
    }

    [Fact]
    public void A_blob_the_registry_serves_changed_is_one_warning_and_is_still_scanned()
    {
        using var registry = new DistributionRegistry();
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1");
        var (manifest, _) = Manifest(registry, "leaky", "1");
        // Overwrite the stored config (same length): the registry serves it unchecked.
        string config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        byte[] bytes = File.ReadAllBytes(registry.BlobFile(config));
        Encoding.ASCII.GetBytes("ghp_").CopyTo(bytes, Array.IndexOf(bytes, (byte)'"', 1) + 1);
        File.WriteAllBytes(registry.BlobFile(config), bytes);

        using var report = ScanJson(out _, null, $"oci:{registry.Host}/leaky:1");

        var warning = Assert.Single(Warnings(report));
        Assert.Equal($"oci:{registry.Host}/leaky:1!{config}", warning.Path);
        Assert.StartsWith("config does not match its digest", warning.Message);
        Assert.Contains(Findings(report), f => f.Secret == Redacted(PodmanImage.EnvToken));
    }

    [Fact]
    public async Task A_manifest_declaring_a_huge_blob_is_one_warning_and_the_other_layers_are_scanned()
    {
        using var registry = new DistributionRegistry();
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1");
        var (manifest, _) = Manifest(registry, "leaky", "1");
        // The same image, with its first layer (busybox) declared at 1 TiB.
        var node = System.Text.Json.Nodes.JsonNode.Parse(manifest.RootElement.GetRawText())!;
        var first = node["layers"]![0]!;
        first["size"] = 1L << 40;
        using var client = new HttpClient();
        using var put = new StringContent(node.ToJsonString(), Encoding.UTF8);
        put.Headers.ContentType = new(node["mediaType"]!.GetValue<string>());
        var response = await client.PutAsync(new Uri($"http://{registry.Host}/v2/leaky/manifests/huge"), put);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        using var report = ScanJson(out _, null, $"oci:{registry.Host}/leaky:huge");

        var warning = Assert.Single(Warnings(report));
        Assert.Equal($"oci:{registry.Host}/leaky:huge", warning.Path);
        Assert.Contains($"layer {first["digest"]} not downloaded: it declares 1,099,511,627,776 bytes", warning.Message);
        Assert.Contains(Findings(report), f => f.Secret == Redacted(PodmanImage.KeptToken));
    }

    [Fact]
    public void A_registry_that_wants_credentials_gets_them_from_the_environment()
    {
        using var registry = new DistributionRegistry("reader", "s3cret-reader");
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1", "reader:s3cret-reader");
        string target = $"oci:{registry.Host}/leaky:1";

        var refused = CliRunner.Run("scan", target);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the registry asks for credentials (set LEAKGUARD_OCI_USERNAME and LEAKGUARD_OCI_PASSWORD)", refused.Stderr);
        var wrong = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["LEAKGUARD_OCI_USERNAME"] = "reader", ["LEAKGUARD_OCI_PASSWORD"] = "wrong" }, "scan", target);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("credentials missing or rejected", wrong.Stderr);
        Assert.DoesNotContain("wrong", wrong.Stderr);

        using var report = ScanJson(out _, new Dictionary<string, string> { ["LEAKGUARD_OCI_USERNAME"] = "reader", ["LEAKGUARD_OCI_PASSWORD"] = "s3cret-reader" }, target);
        Assert.Contains(Findings(report), f => f.Secret == Redacted(PodmanImage.KeptToken));
    }

    [Fact]
    public void A_registry_with_token_authentication_is_answered_with_a_token_from_its_realm()
    {
        using var tokens = new TokenService("puller", "pull-pass-1");
        using var registry = new DistributionRegistry(tokenAuth: (tokens.Realm, TokenService.Service, TokenService.Issuer, tokens.CertificatePem));
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1", "puller:pull-pass-1");
        string target = $"oci:{registry.Host}/leaky:1";
        int before = tokens.Issued;

        var refused = CliRunner.Run("scan", target);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the registry's token service asks for credentials", refused.Stderr);
        Assert.Equal(before, tokens.Issued);

        using var report = ScanJson(out _, new Dictionary<string, string> { ["LEAKGUARD_OCI_USERNAME"] = "puller", ["LEAKGUARD_OCI_PASSWORD"] = "pull-pass-1" }, target);
        Assert.Contains(Findings(report), f => f.Secret == Redacted(PodmanImage.KeptToken));
        Assert.True(tokens.Issued > before);
    }

    [Fact]
    public void A_tag_the_registry_does_not_have_is_a_usage_error()
    {
        using var registry = new DistributionRegistry();
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1");

        var outcome = CliRunner.Run("scan", $"oci:{registry.Host}/leaky:2");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("no manifest '2'", outcome.Stderr);
    }

    [Fact]
    public void A_blob_that_redirects_forever_is_one_warning_and_the_rest_of_the_image_is_scanned()
    {
        // No real registry loops; a hostile one is a small server that follows the spec's
        // shapes for the manifest and the config and redirects the one layer to itself.
        using var registry = new DistributionRegistry();
        PodmanImage.Leaky.Push($"docker://{registry.Host}/leaky:1");
        var (manifest, _) = Manifest(registry, "leaky", "1");
        string looping = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        using var proxy = new LoopingRegistry(registry.Host, looping);

        using var report = ScanJson(out _, null, $"oci:127.0.0.1:{proxy.Port}/leaky:1");

        var warning = Assert.Single(Warnings(report));
        Assert.Contains($"layer {looping} not downloaded", warning.Message);
        Assert.Contains("too many redirects", warning.Message);
        Assert.Contains(Findings(report), f => f.Secret == Redacted(PodmanImage.KeptToken));
        Assert.InRange(proxy.Redirects, 1, 60);
    }

    /// <summary>Passes requests on to a real registry, except the blob <c>looping</c>, which redirects to itself.</summary>
    private sealed class LoopingRegistry : IDisposable
    {
        private readonly HttpClient _upstream = new();
        private readonly LoopbackServer _server;
        private int _redirects;

        public int Port => _server.Port;

        public int Redirects => Volatile.Read(ref _redirects);

        public LoopingRegistry(string upstream, string looping) => _server = new LoopbackServer(context =>
        {
            string path = context.Request.Url!.PathAndQuery;
            if (path.Contains(looping, StringComparison.Ordinal))
            {
                context.Response.StatusCode = 302;
                context.Response.RedirectLocation = $"/v2/leaky/blobs/{looping}?hop={Interlocked.Increment(ref _redirects)}";
                return;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{upstream}{path}");
            request.Headers.TryAddWithoutValidation("Accept", context.Request.Headers["Accept"]);
            using var response = _upstream.Send(request);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            response.Content.ReadAsStream().CopyTo(context.Response.OutputStream);
        });

        public void Dispose()
        {
            _server.Dispose();
            _upstream.Dispose();
        }
    }
}
