namespace LeakGuard.Core.Exposure;

/// <summary>
/// Package manifests by where they sit, so a file's package is the manifest in its own folder or
/// the nearest one above it — inside the same archive first, then around the archive
/// (pkg.tgz!package/dist/cli.js.map → pkg.tgz!package/package.json). A bundled dependency's own
/// package.json under node_modules/ therefore decides only for that dependency's files.
/// </summary>
public sealed class ManifestIndex
{
    private readonly Dictionary<(string Container, string Folder), PackageManifest> _byFolder = [];
    private readonly Lock _lock = new();

    public void Add(PackageManifest manifest)
    {
        var (container, member) = Split(manifest.Path);
        lock (_lock)
        {
            _byFolder.TryAdd((container, Folder(member)), manifest);
        }
    }

    public PackageManifest? For(string path)
    {
        lock (_lock)
        {
            while (true)
            {
                var (container, member) = Split(path);
                string folder = Folder(member);
                while (true)
                {
                    if (_byFolder.TryGetValue((container, folder), out var manifest))
                    {
                        return manifest;
                    }
                    if (folder.Length == 0)
                    {
                        break;
                    }
                    folder = Folder(folder);
                }
                if (container.Length == 0)
                {
                    return null;
                }
                path = container;
            }
        }
    }

    private static (string Container, string Member) Split(string path)
    {
        int bang = path.LastIndexOf('!');
        return bang < 0 ? ("", path) : (path[..bang], path[(bang + 1)..]);
    }

    private static string Folder(string path)
    {
        int slash = path.AsSpan().LastIndexOfAny('/', '\\');
        return slash < 0 ? "" : path[..slash];
    }
}
