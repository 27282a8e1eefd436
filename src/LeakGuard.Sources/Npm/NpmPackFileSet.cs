using System.Text.Json;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Processes;

namespace LeakGuard.Sources.Npm;

/// <summary>
/// Exactly the files <c>npm publish</c> would ship from a package folder, as npm itself lists
/// them with <c>npm pack --dry-run --json</c> (its <c>files</c> field, <c>.npmignore</c>,
/// always-included and never-included files). Lifecycle scripts are not run: the gate checks
/// what is on disk now, after the build step that precedes it.
/// </summary>
public static class NpmPackFileSet
{
    public static IReadOnlyList<SourceItem> List(string packageDirectory, TimeSpan timeout)
    {
        string directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(packageDirectory));
        if (!File.Exists(Path.Join(directory, "package.json")))
        {
            throw new ExternalCommandException($"'{packageDirectory}' has no package.json");
        }
        string json = ExternalCommand.Run(directory, "npm", ["pack", "--dry-run", "--json", "--ignore-scripts", "--loglevel=error"], timeout);
        try
        {
            using var document = JsonDocument.Parse(json);
            var pack = document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.GetArrayLength() == 1
                ? document.RootElement[0]
                : throw new ExternalCommandException("npm pack --dry-run --json did not describe exactly one package");
            string? name = pack.TryGetProperty("name", out var n) ? n.GetString() : null;
            string? version = pack.TryGetProperty("version", out var v) ? v.GetString() : null;
            var origin = new BlobOrigin { Package = name, Version = version };
            var items = new List<SourceItem>();
            foreach (var file in pack.GetProperty("files").EnumerateArray())
            {
                string relative = file.GetProperty("path").GetString()!;
                string full = Path.GetFullPath(Path.Join(directory, relative));
                // npm lists paths inside the package; anything else is not what it would pack.
                if (!full.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new ExternalCommandException($"npm pack listed '{relative}', outside {directory}");
                }
                items.Add(new SourceItem
                {
                    Path = Path.Join(packageDirectory, relative),
                    FingerprintPath = relative,
                    Length = new FileInfo(full).Length,
                    Origin = origin,
                    Open = () => File.OpenRead(full),
                });
            }
            return items;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ExternalCommandException($"npm pack --dry-run --json gave output LeakGuard cannot read ({e.Message})");
        }
    }
}
