using System.Text.Json;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>
/// What a watcher keeps of a scanned release so the next version can be compared with it without
/// scanning it again: each file by its path inside the release, with size and embedded-file count,
/// each finding by its release-independent key, and the protected files it held by codebase. A
/// few hundred bytes per hundred files.
/// </summary>
/// <param name="Protected">Null in manifests written before protected code was recorded.</param>
public sealed record ReleaseManifest(IReadOnlyList<ReleaseManifest.File> Files, IReadOnlyList<string> FindingKeys,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Protected = null)
{
    public sealed record File(string Path, long Size, int EmbeddedFiles);

    public static ReleaseManifest Of(ReleaseContents release) =>
        new([.. release.Files.Select(f => new File(release.KeyOf(f.Path), f.Size, f.EmbeddedFiles))],
            [.. release.FindingKeys().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            release.ProtectedFiles());

    /// <summary>The release as the comparison sees it; its paths are already keys.</summary>
    public ReleaseContents ToContents(string label) =>
        new(label, [.. Files.Select(f => new InventoriedFile(f.Path, f.Size, null, f.EmbeddedFiles))], [], path => path, FindingKeys,
            Protected ?? new Dictionary<string, IReadOnlyList<string>>());

    public string ToJson() => JsonSerializer.Serialize(this, ManifestJson.Options);

    /// <summary>Null for a manifest this version cannot read (written by a newer LeakGuard, or damaged):
    /// the release is then compared with nothing rather than failing the watcher.</summary>
    public static ReleaseManifest? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ReleaseManifest>(json, ManifestJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static class ManifestJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
