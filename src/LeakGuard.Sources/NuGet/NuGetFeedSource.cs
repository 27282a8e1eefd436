using System.Text.Json;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Packages;
using LeakGuard.Core.Findings;

namespace LeakGuard.Sources.NuGet;

/// <summary>
/// Resolves a <c>nuget:</c> target with the NuGet v3 protocol: the service index names the
/// <c>PackageBaseAddress/3.0.0</c> resource (the flat container), whose
/// <c>{id}/index.json</c> lists every version; each selected version becomes one item named
/// <c>Id@VERSION.nupkg</c>, downloaded only when a scanner worker opens it. Versions are
/// selected as for npm (exact, <c>all</c>, or a semver range such as <c>&gt;=3.0.0</c>);
/// without one, the newest stable version.
/// </summary>
public sealed class NuGetFeedSource(RegistryHttp http, DownloadLimits limits)
{
    public const string NuGetOrg = "https://api.nuget.org/v3/index.json";

    private const string FlatContainerType = "PackageBaseAddress/3.0.0";

    public IReadOnlyList<SourceItem> Resolve(NuGetTarget target, string? source, CancellationToken cancellation = default)
    {
        string index = source ?? NuGetOrg;
        if (!Uri.TryCreate(index, UriKind.Absolute, out var indexUri) || indexUri.Scheme is not ("http" or "https"))
        {
            throw new RegistryException($"'{RedactedUrl.Of(index)}' is not an http(s) NuGet v3 service index URL");
        }
        // From here on the string names the feed in messages only: without credentials.
        index = RedactedUrl.Of(index);
        var baseAddress = FlatContainer(indexUri, cancellation);
        string lowerId = target.Id.ToLowerInvariant();
        var listUrl = new Uri(baseAddress, $"{lowerId}/index.json");
        var fetched = Get(listUrl, gzip: true, limits.MaxMetadataBytes, cancellation);
        if (fetched.NotFound)
        {
            throw new RegistryException($"NuGet package {target.Id} does not exist on {index}");
        }
        var published = ReadStrings(fetched.Body, "versions", $"{target.Id}'s version list on {index}");
        string spec = target.Spec == NuGetTarget.Latest ? NewestStable(target.Id, index, published) : target.Spec;
        var versions = VersionSelection.Select(target.Id, index, published, spec, new Dictionary<string, string>());
        return [.. versions.Select(v => Item(target.Id, v, new Uri(baseAddress, $"{lowerId}/{v.ToLowerInvariant()}/{lowerId}.{v.ToLowerInvariant()}.nupkg")))];
    }

    private static string NewestStable(string id, string index, IReadOnlyList<string> published) =>
        VersionSelection.NewestStable(published) ?? throw new RegistryException($"{id} has no published versions on {index}");

    private Uri FlatContainer(Uri indexUri, CancellationToken cancellation)
    {
        var fetched = Get(indexUri, gzip: true, limits.MaxMetadataBytes, cancellation);
        if (fetched.NotFound)
        {
            throw new RegistryException($"{RedactedUrl.Of(indexUri)}: no NuGet v3 service index there (404)");
        }
        try
        {
            using var document = JsonDocument.Parse(fetched.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
            {
                foreach (var resource in resources.EnumerateArray())
                {
                    if (resource.ValueKind == JsonValueKind.Object
                        && resource.TryGetProperty("@type", out var type) && type.ValueKind == JsonValueKind.String
                        && type.GetString() == FlatContainerType
                        && resource.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String
                        && Uri.TryCreate(indexUri, id.GetString(), out var address) && address.Scheme is "http" or "https")
                    {
                        return address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
                    }
                }
            }
        }
        // Not JSON, or a string .NET cannot hold (invalid UTF-8, a lone surrogate escape: GetString
        // throws InvalidOperationException): either way the registry's answer is refused, not a crash.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RegistryException($"{RedactedUrl.Of(indexUri)}: the service index is not JSON ({e.Message})", e);
        }
        throw new RegistryException($"{RedactedUrl.Of(indexUri)}: the service index has no {FlatContainerType} resource");
    }

    private SourceItem Item(string id, string version, Uri nupkg) => new()
    {
        Path = $"{id}@{version}.nupkg",
        Origin = new BlobOrigin { Package = id, Version = version },
        Open = () =>
        {
            RegistryHttp.Fetched fetched;
            try
            {
                fetched = Get(nupkg, gzip: false, limits.MaxPackageBytes, CancellationToken.None);
            }
            catch (RegistryException e)
            {
                // The scanner reports unreadable items as warnings and goes on with the other versions.
                throw new IOException(e.Message, e);
            }
            return fetched.NotFound
                ? throw new IOException($"{id} {version} is listed but {RedactedUrl.Of(nupkg)} answered 404")
                : new MemoryStream(fetched.Body, writable: false);
        },
    };

    private RegistryHttp.Fetched Get(Uri url, bool gzip, long maxBytes, CancellationToken cancellation) =>
        http.GetAsync(url, bearerToken: null, "application/json, application/octet-stream", gzip, maxBytes, cancellation).GetAwaiter().GetResult();

    private static List<string> ReadStrings(byte[] body, string property, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array)
            {
                return [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
            }
        }
        // Not JSON, or a string .NET cannot hold (invalid UTF-8, a lone surrogate escape: GetString
        // throws InvalidOperationException): either way the registry's answer is refused, not a crash.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RegistryException($"{what} is not JSON ({e.Message})", e);
        }
        throw new RegistryException($"{what} has no '{property}' array");
    }
}
