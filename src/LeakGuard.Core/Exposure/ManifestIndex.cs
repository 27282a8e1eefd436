namespace LeakGuard.Core.Exposure;

/// <summary>
/// Package manifests and licence texts by where they sit, so that a file's package can be found
/// from its path, inside the same archive first, then around the archive
/// (pkg.tgz!package/dist/cli.js.map → pkg.tgz!package/package.json), and the licence file a
/// manifest names from the manifest's folder.
/// </summary>
/// <remarks>
/// The manifests above a file are not all package manifests. Packages ship one-line stubs
/// ({"type": "module"} in dist/esm/, cjs/) and sub-path manifests (compat/package.json, often
/// "private" and without a licence) below their real one. So a file's manifest is the nearest
/// one that <see cref="PackageManifest.Speaks">says something</see> about a package: it names one
/// (name and version), declares a licence, or is an archive's top-level manifest
/// (package/package.json in an npm tarball, the .nuspec of a .nupkg). Stubs are skipped over. A
/// nested manifest that declares no licence has the licence of the manifest above it — except, in
/// a folder on disk, across a node_modules/ folder: an installed dependency is another package,
/// not part of the project around it. (Inside an archive everything shipped is the package's.)
/// </remarks>
public sealed class ManifestIndex
{
    private readonly Dictionary<(string Container, string Folder), PackageManifest> _byFolder = [];
    private readonly Dictionary<string, LicenseText> _licenseTexts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public void Add(PackageManifest manifest)
    {
        var (container, member) = Split(manifest.Path);
        lock (_lock)
        {
            _byFolder.TryAdd((container, Folder(member)), manifest);
        }
    }

    /// <summary>A licence file's text, recognised, for a manifest that names it.</summary>
    public void AddLicenseText(string path, LicenseText text)
    {
        lock (_lock)
        {
            _licenseTexts.TryAdd(path, text);
        }
    }

    /// <summary>The settled manifest of the package <paramref name="path"/> belongs to, or null
    /// when no manifest above it says anything about a package.</summary>
    public PackageManifest? For(string path)
    {
        lock (_lock)
        {
            return Resolve(Chain(path), 0);
        }
    }

    /// <summary>Every manifest above <paramref name="path"/>, nearest first.</summary>
    private List<PackageManifest> Chain(string path)
    {
        var chain = new List<PackageManifest>();
        while (true)
        {
            var (container, member) = Split(path);
            string folder = Folder(member);
            while (true)
            {
                if (_byFolder.TryGetValue((container, folder), out var manifest))
                {
                    chain.Add(manifest);
                }
                if (folder.Length == 0)
                {
                    break;
                }
                folder = Folder(folder);
            }
            if (container.Length == 0)
            {
                return chain;
            }
            path = container;
        }
    }

    private PackageManifest? Resolve(List<PackageManifest> chain, int start)
    {
        int i = chain.FindIndex(start, m => m.Speaks || IsArchiveTop(m));
        if (i < 0)
        {
            return null;
        }
        var manifest = chain[i];
        PackageManifest? parent = null;
        int above = IsArchiveTop(manifest) ? -1 : chain.FindIndex(i + 1, m => m.Speaks || IsArchiveTop(m));
        if (above >= 0 && !(IsLoose(manifest) && IsLoose(chain[above]) && NodeModulesBetween(chain[above], manifest)))
        {
            parent = Resolve(chain, above);
        }
        return PackageManifest.Settle(manifest, parent, file => LicenseText(manifest, file));
    }

    private LicenseText? LicenseText(PackageManifest manifest, string file) => _licenseTexts.GetValueOrDefault(LicenseFilePath(manifest, file));

    /// <summary>The archive-qualified path of a file a manifest names, relative to its folder.</summary>
    public static string LicenseFilePath(PackageManifest manifest, string file)
    {
        var (container, member) = Split(manifest.Path);
        string relative = file.Replace('\\', '/');
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }
        relative = relative.TrimStart('/');
        string folder = Folder(member);
        string inContainer = folder.Length == 0 ? relative : $"{folder}/{relative}";
        return container.Length == 0 ? inContainer : $"{container}!{inContainer}";
    }

    /// <summary>package/package.json of an npm tarball, or a manifest at the root of an archive
    /// (a .nupkg's .nuspec): the package's own manifest, whatever it says.</summary>
    private static bool IsArchiveTop(PackageManifest manifest)
    {
        var (container, member) = Split(manifest.Path);
        return container.Length > 0 && member.Count('/') <= 1;
    }

    private static bool IsLoose(PackageManifest manifest) => !manifest.Path.Contains('!', StringComparison.Ordinal);

    /// <summary>Whether a node_modules folder lies between the folders of two manifests.</summary>
    private static bool NodeModulesBetween(PackageManifest outer, PackageManifest inner)
    {
        string outerFolder = Folder(outer.Path), innerFolder = Folder(inner.Path);
        string between = innerFolder.Length > outerFolder.Length ? innerFolder[outerFolder.Length..] : "";
        return between.Replace('\\', '/').Split('/').Contains("node_modules", StringComparer.Ordinal);
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
