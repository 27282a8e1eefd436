using System.Text.Json;

namespace LeakGuard.Core.Expansion.Images;

/// <summary>One layer as a manifest names it: <paramref name="File"/> is where its bytes are in
/// the image file, <paramref name="Digest"/> the digest the manifest or the blob's name declares
/// (null for a legacy <c>&lt;id&gt;/layer.tar</c>, named by its content's digest instead).</summary>
internal sealed record ImageLayer(string File, string? Digest);

/// <summary>One image in the file: its config and its layers, bottom first.</summary>
internal sealed record ImageManifest(string? ConfigFile, string? ConfigDigest, IReadOnlyList<ImageLayer> Layers);

/// <summary>
/// Reads what images an image file holds, from <c>manifest.json</c> (docker-archive) or
/// <c>index.json</c> and the indexes and manifests it points to (OCI layout; a multi-platform
/// index holds one manifest per platform, all of them are read: every one is in the file).
/// Manifests are hostile input: each is bounded in size, nesting is bounded, and anything that
/// does not read as the spec says is an <see cref="InvalidDataException"/> naming what.
/// </summary>
internal static class ImageLayout
{
    /// <summary>Larger than any real manifest or index (they list descriptors, not content).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Indexes nested deeper than this are not followed (real ones nest one level).</summary>
    private const int MaxIndexDepth = 4;

    public static IReadOnlyList<ImageManifest> Read(ImageFiles files) => files.Kind switch
    {
        ImageKind.DockerArchive => DockerArchive(files),
        ImageKind.OciLayout => OciLayout(files),
        _ => [],
    };

    private static List<ImageManifest> DockerArchive(ImageFiles files)
    {
        using var manifest = Json(files, "manifest.json");
        if (manifest.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("manifest.json is not a list of images");
        }
        var images = new List<ImageManifest>();
        foreach (var image in manifest.RootElement.EnumerateArray())
        {
            if (image.ValueKind != JsonValueKind.Object || !image.TryGetProperty("Layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("an image in manifest.json lists no Layers");
            }
            // An image pulled from a registry whose config could not be fetched has none (that was warned about).
            string? config = Text(image, "Config");
            images.Add(new ImageManifest(config, config is null ? null : BlobDigest(config), [.. layers.EnumerateArray().Select(layer =>
            {
                string file = layer.GetString() ?? throw new InvalidDataException("a layer in manifest.json is not a path");
                return new ImageLayer(file, BlobDigest(file));
            })]));
        }
        return images;
    }

    private static List<ImageManifest> OciLayout(ImageFiles files)
    {
        using var index = Json(files, "index.json");
        var images = new List<ImageManifest>();
        Index(files, index.RootElement, depth: 0, images, new HashSet<string>(StringComparer.Ordinal));
        return images;
    }

    /// <summary>An index's manifests (and the indexes it nests), in order.</summary>
    /// <param name="seen">Manifests and indexes read already: an index may name one any number of times.</param>
    private static void Index(ImageFiles files, JsonElement index, int depth, List<ImageManifest> images, HashSet<string> seen)
    {
        if (index.ValueKind != JsonValueKind.Object || !index.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("an index lists no manifests");
        }
        foreach (var descriptor in manifests.EnumerateArray())
        {
            string digest = Digest(descriptor);
            if (!seen.Add(digest))
            {
                continue;
            }
            using var document = Json(files, OciBlob(digest));
            var root = document.RootElement;
            bool isIndex = Text(descriptor, "mediaType") is { } type ? MediaTypes.IsIndex(type) : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("manifests", out _);
            if (isIndex)
            {
                if (depth >= MaxIndexDepth)
                {
                    throw new InvalidDataException($"indexes nest deeper than {MaxIndexDepth}");
                }
                Index(files, root, depth + 1, images, seen);
            }
            else
            {
                images.Add(Manifest(root));
            }
        }
    }

    /// <summary>An OCI image manifest or a Docker v2 schema 2 manifest (the same shape).</summary>
    public static ImageManifest Manifest(JsonElement manifest)
    {
        if (manifest.ValueKind != JsonValueKind.Object || !manifest.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("a manifest lists no layers");
        }
        string? config = manifest.TryGetProperty("config", out var descriptor) ? Digest(descriptor) : null;
        return new ImageManifest(config is null ? null : OciBlob(config), config, [.. layers.EnumerateArray().Select(layer =>
        {
            string digest = Digest(layer);
            return new ImageLayer(OciBlob(digest), digest);
        })]);
    }

    /// <summary>A descriptor's digest, checked to be a sha256 digest: it becomes a path.</summary>
    public static string Digest(JsonElement descriptor)
    {
        string? digest = descriptor.ValueKind == JsonValueKind.Object ? Text(descriptor, "digest") : null;
        return digest is not null && ImageDigest.IsSha256(digest)
            ? digest
            : throw new InvalidDataException($"a descriptor has no sha256 digest ({(digest is null ? "none" : Shorten(digest))})");
    }

    private static string OciBlob(string digest) => $"blobs/sha256/{digest[7..]}";

    /// <summary>The digest a blob's path declares (<c>blobs/sha256/&lt;hex&gt;</c>, or a
    /// docker-archive's <c>&lt;hex&gt;.json</c> config and <c>&lt;hex&gt;.tar</c> layers), or null
    /// (a legacy <c>&lt;id&gt;/layer.tar</c>).</summary>
    private static string? BlobDigest(string path)
    {
        string name = Path.GetFileName(path);
        int dot = name.IndexOf('.');
        string digest = "sha256:" + (dot < 0 ? name : name[..dot]);
        return ImageDigest.IsSha256(digest) ? digest : null;
    }

    private static JsonDocument Json(ImageFiles files, string name)
    {
        if (files.Length(name) is not { } length)
        {
            throw new InvalidDataException($"{name} is missing");
        }
        if (length > MaxManifestBytes)
        {
            throw new InvalidDataException($"{name} is {length:N0} bytes, more than the {MaxManifestBytes:N0} a manifest may have");
        }
        try
        {
            return JsonDocument.Parse(files.Read(name) ?? throw new InvalidDataException($"{name} runs past the end of the file"),
                new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name} is not valid JSON ({e.Message})");
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

/// <summary>Digests as images name blobs.</summary>
public static class ImageDigest
{
    /// <summary>Whether <paramref name="digest"/> is <c>sha256:</c> and 64 lowercase hex digits (it becomes a path and a URL).</summary>
    public static bool IsSha256(string digest) =>
        digest.Length == 71 && digest.StartsWith("sha256:", StringComparison.Ordinal) && !digest.AsSpan(7).ContainsAnyExcept("0123456789abcdef");
}

/// <summary>The media types of the OCI image spec and Docker's registry v2 schema 2.</summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string mediaType) => mediaType is OciManifest or DockerManifest;
}
