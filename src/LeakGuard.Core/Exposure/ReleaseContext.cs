using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Exposure;

/// <summary>
/// What one top-level input (a .tgz, a .nupkg, a file) reveals about the package it is, gathered
/// while its members stream past in archive order: manifests, licence texts, source maps,
/// sourceMappingURL references, embedded-source exposures. A manifest may come after the map it decides, so
/// severities are settled in <see cref="Complete"/>, once the input is done. Exposures that no
/// manifest of the input decides (a loose map in a build folder, an archive without its own
/// manifest) are settled by the run instead, once every loose file — the folder's package.json
/// included — has been seen: see <see cref="ManifestIndex"/>.
/// </summary>
public sealed class ReleaseContext(IReadOnlyCollection<string> protectedPackages)
{
    private readonly List<PackageManifest> _manifests = [];
    private readonly Dictionary<string, LicenseText> _licenseTexts = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _namedLicenseFiles = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EmbeddedSourceExposure> _exposures = [];
    private readonly List<Blob> _maps = [];
    private readonly Dictionary<string, string> _mapReferences = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenPaths = new(StringComparer.Ordinal);

    /// <summary>Looks at every non-decoded blob of the input, before it is expanded.</summary>
    public void Observe(Blob blob)
    {
        _seenPaths.Add(blob.Path);
        string member = blob.MemberPath;
        if (PackageManifest.IsManifestName(member) && PackageManifest.TryRead(blob.Path, blob.Content.Span, protectedPackages) is { } manifest)
        {
            _manifests.Add(manifest);
            if (manifest.LicenseFile is { } file)
            {
                // A licence file with an unusual name, in case it comes after the manifest.
                _namedLicenseFiles.Add(ManifestIndex.LicenseFilePath(manifest, file));
            }
        }
        if ((LicenseTexts.IsLicenseFileName(member) || _namedLicenseFiles.Contains(blob.Path)) && blob.Content.Length <= LicenseTexts.MaxBytes)
        {
            _licenseTexts.TryAdd(blob.Path, LicenseTexts.Identify(blob.Content.Span));
        }
        if (member.EndsWith(".map", StringComparison.OrdinalIgnoreCase))
        {
            // Only the provenance is kept: the content is released right after it is scanned.
            _maps.Add(new Blob { Path = blob.Path, FingerprintPath = blob.FingerprintPath, Content = ReadOnlyMemory<byte>.Empty, Origin = blob.Origin, ArchiveDepth = blob.ArchiveDepth });
        }
    }

    public void Add(EmbeddedSourceExposure exposure) => _exposures.Add(exposure);

    /// <summary>Notes that <paramref name="script"/>'s sourceMappingURL names <paramref name="mapPath"/>
    /// (already resolved to an archive-qualified path).</summary>
    public void AddMapReference(string script, string mapPath) => _mapReferences.TryAdd(mapPath, script);

    /// <summary>Reports what this input settles. Findings about loose files are returned instead,
    /// to be settled with <paramref name="looseManifests"/> once the whole run is done.</summary>
    public IReadOnlyList<Func<ManifestIndex, Finding?>> Complete(Action<Finding> report, Action<string> warn, ManifestIndex looseManifests)
    {
        var own = new ManifestIndex();
        foreach (var manifest in _manifests)
        {
            own.Add(manifest);
            if (!manifest.Path.Contains('!', StringComparison.Ordinal))
            {
                looseManifests.Add(manifest);
            }
        }
        foreach (var (path, text) in _licenseTexts)
        {
            own.AddLicenseText(path, text);
            if (!path.Contains('!', StringComparison.Ordinal))
            {
                looseManifests.AddLicenseText(path, text);
            }
        }
        var deferred = new List<Func<ManifestIndex, Finding?>>();
        var exposed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var exposure in _exposures)
        {
            string? referencedBy = _mapReferences.GetValueOrDefault(exposure.Container.Path);
            exposed.Add(exposure.Container.Path);
            SettleOrDefer(exposure.Container.Path, manifests => ExposureFindings.ForEmbeddedSources(exposure, manifests, referencedBy));
        }
        foreach (var map in _maps)
        {
            // One map, one finding: a map that embeds its sources is reported as that, the more
            // specific exposure, which says the package is not open source in its details.
            if (!exposed.Contains(map.Path))
            {
                SettleOrDefer(map.Path, manifests => ExposureFindings.ForMapInClosedPackage(map, manifests));
            }
        }
        foreach (var (mapPath, script) in _mapReferences)
        {
            if (mapPath.Contains('!', StringComparison.Ordinal) && !_seenPaths.Contains(mapPath))
            {
                warn($"{script}: its sourceMappingURL names {mapPath}, which is not in the artefact");
            }
        }
        return deferred;

        // A package carries its own manifest: then this input decides. Otherwise the manifest may
        // be a loose file beside it (a build folder's package.json), which the run sees last.
        void SettleOrDefer(string path, Func<ManifestIndex, Finding?> settle)
        {
            if (own.For(path) is null)
            {
                deferred.Add(settle);
            }
            else if (settle(own) is { } finding)
            {
                report(finding);
            }
        }
    }
}
