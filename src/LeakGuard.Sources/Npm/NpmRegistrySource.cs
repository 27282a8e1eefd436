using System.Globalization;
using System.Text.Json;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Packages;
using LeakGuard.Core.Findings;

namespace LeakGuard.Sources.Npm;

/// <summary>
/// Resolves an <c>npm:</c> target against a registry: the packument is fetched now (so a missing
/// package or version fails before any scanning), each selected version becomes one item named
/// <c>NAME@VERSION.tgz</c> whose tarball is downloaded and integrity-checked only when a scanner
/// worker opens it. A whole scope (<c>@acme/*</c>) is every package its search lists.
/// </summary>
/// <param name="warn">Told (path, message) about a package of a scope that is skipped, a listing
/// cut short, and a tarball that is scanned but not what npm publishes (from the scanner's threads).</param>
public sealed class NpmRegistrySource(NpmConfig config, RegistryHttp http, DownloadLimits limits, Action<string, string> warn)
{
    // The abbreviated "corgi" document: versions and dist only, far smaller than the full packument.
    private const string PackumentAccept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

    /// <param name="registryOverride">--registry: wins over .npmrc.</param>
    public IReadOnlyList<SourceItem> Resolve(NpmTarget target, string? registryOverride, CancellationToken cancellation = default)
    {
        string registry = registryOverride is null ? config.RegistryFor(target.Name) : (registryOverride.EndsWith('/') ? registryOverride : registryOverride + "/");
        if (!Uri.TryCreate(registry, UriKind.Absolute, out var registryUri) || registryUri.Scheme is not ("http" or "https"))
        {
            throw new RegistryException($"'{RedactedUrl.Of(registry)}' is not an http(s) registry URL");
        }
        // From here on the string names the registry in messages only: without credentials.
        registry = RedactedUrl.Of(registry);
        if (target.Scope is { } scope)
        {
            return ResolveScope(target, scope, registryUri, registry, cancellation);
        }
        var packument = FetchPackument(target.Name, registryUri, registry, cancellation)
            ?? throw new RegistryException($"npm package {target.Name} does not exist on {registry}");
        var versions = VersionSelection.Select(target.Name, registry, packument.Dists.Keys, target.Spec, packument.Tags);
        return [.. versions.Select(v => Item(target.Name, v, packument.Dists[v]))];
    }

    /// <summary>The spec applies to each package on its own. A package it matches no version of,
    /// or one the search still lists after it was unpublished (search lags behind), is a warning:
    /// the rest of the scope is scanned. Nothing at all to scan is an error, as for one package.</summary>
    private List<SourceItem> ResolveScope(NpmTarget target, string scope, Uri registryUri, string registry, CancellationToken cancellation)
    {
        var names = new NpmScopeListing(config, http, limits).List(scope, registryUri, registry, warn, cancellation);
        if (names.Count == 0)
        {
            throw new RegistryException($"npm scope {scope} has no packages on {registry} (its search lists none)");
        }
        var items = new List<SourceItem>();
        foreach (string name in names)
        {
            var packument = FetchPackument(name, registryUri, registry, cancellation);
            if (packument is null)
            {
                warn(name, $"not scanned: listed in {scope} by the search of {registry}, but the package does not exist there");
                continue;
            }
            IReadOnlyList<string> versions;
            try
            {
                versions = VersionSelection.Select(name, registry, packument.Dists.Keys, target.Spec, packument.Tags);
            }
            catch (RegistryException e)
            {
                warn(name, $"not scanned: {e.Message}");
                continue;
            }
            items.AddRange(versions.Select(v => Item(name, v, packument.Dists[v])));
        }
        if (items.Count == 0)
        {
            throw new RegistryException($"no package of {scope} on {registry} has a version matching '{target.Spec}' ({names.Count} packages listed)");
        }
        return items;
    }

    /// <summary>The packument, or null when the registry says the package does not exist.</summary>
    private Packument? FetchPackument(string name, Uri registryUri, string registry, CancellationToken cancellation)
    {
        var packumentUrl = new Uri(registryUri, name.Replace("/", "%2f", StringComparison.Ordinal));
        var fetched = http.GetAsync(packumentUrl, config.TokenFor(packumentUrl), PackumentAccept, gzip: true, limits.MaxMetadataBytes, cancellation)
            .GetAwaiter().GetResult();
        return fetched.NotFound ? null : ParsePackument(name, registry, fetched.Body);
    }

    private SourceItem Item(string name, string version, Dist dist)
    {
        string path = $"{name}@{version}.tgz";
        return new SourceItem
        {
            Path = path,
            Origin = new BlobOrigin { Package = name, Version = version },
            Open = () => Download(path, name, version, dist),
        };
    }

    private MemoryStream Download(string path, string name, string version, Dist dist)
    {
        RegistryHttp.Fetched fetched;
        try
        {
            fetched = http.GetAsync(dist.Tarball, config.TokenFor(dist.Tarball), "application/octet-stream", gzip: false, limits.MaxPackageBytes, CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (RegistryException e)
        {
            // The scanner reports unreadable items as warnings and goes on with the other versions.
            throw new IOException(e.Message, e);
        }
        if (fetched.NotFound)
        {
            throw new IOException($"tarball of {name}@{version} is missing: {RedactedUrl.Of(dist.Tarball)} answered 404");
        }
        if (SubresourceIntegrity.Mismatch(fetched.Body, dist.Integrity, dist.Shasum) is { } mismatch)
        {
            throw new IOException($"{name}@{version} not scanned: {mismatch}");
        }
        if (fetched.Body is not [0x1F, 0x8B, ..])
        {
            // npm publishes gzip only. The bytes are still scanned (a plain tar is expanded, text
            // matched) rather than refused: they are what the registry serves for this version.
            warn(path, $"tarball of {name}@{version} is not gzip-compressed ({Start(fetched.Body)}); scanned as it is");
        }
        return new MemoryStream(fetched.Body, writable: false);
    }

    private static string Start(byte[] body) => body.Length == 0
        ? "it is empty"
        : "starts with " + string.Join(' ', body.Take(8).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    internal sealed record Dist(Uri Tarball, string? Integrity, string? Shasum);

    internal sealed record Packument(Dictionary<string, Dist> Dists, Dictionary<string, string> Tags);

    /// <summary>Reads what a registry sent; anything that is not JSON is a <see cref="RegistryException"/>
    /// (internal for the packument fuzz test).</summary>
    internal static Packument ParsePackument(string name, string registry, byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var dists = new Dictionary<string, Dist>(StringComparer.Ordinal);
            if (root.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Object)
            {
                foreach (var version in versions.EnumerateObject())
                {
                    if (version.Value.ValueKind == JsonValueKind.Object
                        && version.Value.TryGetProperty("dist", out var dist) && dist.ValueKind == JsonValueKind.Object
                        && dist.TryGetProperty("tarball", out var tarball) && tarball.ValueKind == JsonValueKind.String
                        && Uri.TryCreate(tarball.GetString(), UriKind.Absolute, out var tarballUri)
                        && tarballUri.Scheme is "http" or "https")
                    {
                        dists[version.Name] = new Dist(tarballUri, StringOrNull(dist, "integrity"), StringOrNull(dist, "shasum"));
                    }
                }
            }
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("dist-tags", out var distTags) && distTags.ValueKind == JsonValueKind.Object)
            {
                foreach (var tag in distTags.EnumerateObject())
                {
                    if (tag.Value.ValueKind == JsonValueKind.String)
                    {
                        tags[tag.Name] = tag.Value.GetString()!;
                    }
                }
            }
            return new Packument(dists, tags);
        }
        // Not JSON, or a string .NET cannot hold (invalid UTF-8, a lone surrogate escape: GetString
        // throws InvalidOperationException): either way the registry's answer is refused, not a crash.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RegistryException($"{registry} sent a packument for {name} that is not JSON ({e.Message})", e);
        }
    }

    private static string? StringOrNull(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
