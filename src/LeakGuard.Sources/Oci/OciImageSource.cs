using System.Formats.Tar;
using System.Text.Json;
using LeakGuard.Core.Expansion.Images;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Http;

namespace LeakGuard.Sources.Oci;

/// <summary>
/// An <c>oci:</c> target as items to scan: one per image (per platform of a multi-platform
/// index: linux/amd64, or every platform with --all-platforms). The manifest is resolved up front
/// (an image or platform that is not there is a usage error before scanning starts); the config
/// and layers are pulled when the scanner reaches the item, into an image tarball of the
/// docker-archive shape that the image expander then expands like a saved image:
/// <c>oci:host/app:1!sha256:…!usr/app/main.js</c>. Every blob is bounded: one that declares more
/// than what is left of --max-file-size for the image is not downloaded, and a blob that cannot
/// be fetched is one warning; the rest of the image is still scanned.
/// </summary>
public sealed class OciImageSource(RegistryHttp http, DownloadLimits limits, bool insecure, bool allPlatforms, Action<string, string> warn)
{
    private const string DefaultPlatform = "linux/amd64";

    public IReadOnlyList<SourceItem> Resolve(OciTarget target)
    {
        var client = new OciRegistryClient(target, http, limits, insecure);
        var (body, mediaType) = client.Manifest(target.Reference);
        if (!MediaTypes.IsIndex(mediaType))
        {
            return [Item(client, target.ToString(), target, body)];
        }
        var platforms = Platforms(target, body);
        var chosen = allPlatforms ? platforms : platforms.Where(p => p.Platform == DefaultPlatform).Take(1).ToList();
        if (chosen.Count == 0)
        {
            throw new RegistryException($"{target}: no {DefaultPlatform} image (it has {string.Join(", ", platforms.Select(p => p.Platform).Distinct())}); " +
                "use --all-platforms to scan them all");
        }
        return [.. chosen.Select(p =>
        {
            var (manifest, type) = client.Manifest(p.Digest);
            return MediaTypes.IsManifest(type)
                ? Item(client, allPlatforms ? $"{target}[{p.Platform}]" : target.ToString(), target, manifest)
                : throw new RegistryException($"{target}: the {p.Platform} entry of the index is a {type}, not an image manifest");
        })];
    }

    /// <summary>The images an index lists, with their platforms (os/architecture[/variant]).</summary>
    private static List<(string Digest, string Platform)> Platforms(OciTarget target, byte[] index)
    {
        try
        {
            using var json = JsonDocument.Parse(index);
            if (!json.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                throw new RegistryException($"{target}: the index lists no manifests");
            }
            return [.. manifests.EnumerateArray().Select(m => (Digest(target, m), Platform(m)))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RegistryException($"{target}: the index is not valid JSON as the OCI image spec has it ({e.Message})");
        }
    }

    private static string Platform(JsonElement descriptor)
    {
        if (!descriptor.TryGetProperty("platform", out var platform) || platform.ValueKind != JsonValueKind.Object)
        {
            return "unknown/unknown";
        }
        string Part(string name) => platform.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "unknown";
        string variant = platform.TryGetProperty("variant", out var v) && v.ValueKind == JsonValueKind.String ? "/" + v.GetString() : "";
        return $"{Part("os")}/{Part("architecture")}{variant}";
    }

    private static string Digest(OciTarget target, JsonElement descriptor) =>
        descriptor.ValueKind == JsonValueKind.Object && descriptor.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String
            && d.GetString() is { } digest && ImageDigest.IsSha256(digest)
            ? digest
            : throw new RegistryException($"{target}: a descriptor has no sha256 digest");

    private SourceItem Item(OciRegistryClient client, string path, OciTarget target, byte[] manifest)
    {
        var (config, layers) = Parse(target, manifest);
        return new SourceItem { Path = path, Open = () => new MemoryStream(Pull(client, path, target, config, layers), writable: false) };
    }

    private static ((string Digest, long Size)? Config, List<(string Digest, long Size)> Layers) Parse(OciTarget target, byte[] manifest)
    {
        try
        {
            using var json = JsonDocument.Parse(manifest);
            var root = json.RootElement;
            if (!root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                throw new RegistryException($"{target}: the manifest lists no layers");
            }
            (string, long) Descriptor(JsonElement d) => (Digest(target, d), d.TryGetProperty("size", out var s) && s.TryGetInt64(out long n) ? n : -1);
            return (root.TryGetProperty("config", out var config) ? Descriptor(config) : null, [.. layers.EnumerateArray().Select(Descriptor)]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RegistryException($"{target}: the manifest is not valid JSON as the OCI image spec has it ({e.Message})");
        }
    }

    /// <summary>Downloads the config and layers into an image tarball (manifest.json and
    /// blobs/sha256/…), within --max-file-size for the whole image.</summary>
    private byte[] Pull(OciRegistryClient client, string path, OciTarget target, (string Digest, long Size)? config, List<(string Digest, long Size)> layers)
    {
        // The tarball must stay within what the scanner holds whole to expand: its headers and manifest take less than this.
        const long TarOverhead = 1024 * 1024;
        long left = limits.MaxPackageBytes - TarOverhead;
        var blobs = new List<(string Digest, byte[] Content)>();
        string? Fetch((string Digest, long Size) descriptor, string what)
        {
            if (descriptor.Size > left)
            {
                warn(path, $"{what} {descriptor.Digest} not downloaded: it declares {descriptor.Size:N0} bytes, more than the {left:N0} left of the {limits.MaxPackageBytes:N0} an image may take (256 MiB, or --max-file-size)");
                return null;
            }
            try
            {
                // A blob is at most what its descriptor declares: a registry sending more is cut off.
                if (client.Blob(descriptor.Digest, descriptor.Size >= 0 ? descriptor.Size : left) is not { } content)
                {
                    warn(path, $"{what} {descriptor.Digest} is not in the registry; the rest of the image is scanned");
                    return null;
                }
                left -= content.Length;
                blobs.Add((descriptor.Digest, content));
                return $"blobs/sha256/{descriptor.Digest[7..]}";
            }
            catch (RegistryException e)
            {
                warn(path, $"{what} {descriptor.Digest} not downloaded: {e.Message}; the rest of the image is scanned");
                return null;
            }
        }
        string? configFile = config is { } c ? Fetch(c, "config") : null;
        var layerFiles = layers.Select(layer => Fetch(layer, "layer")).OfType<string>().ToList();
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new Dictionary<string, object?> { ["Config"] = configFile, ["RepoTags"] = new[] { target.ToString() }, ["Layers"] = layerFiles },
        });
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content) in blobs.Select(b => ($"blobs/sha256/{b.Digest[7..]}", b.Content)).Prepend(("manifest.json", manifest)))
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content, writable: false) });
            }
        }
        return tar.ToArray();
    }
}
