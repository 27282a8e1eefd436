using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeakGuard.Core.Expansion.Images;
using LeakGuard.Sources.Http;

namespace LeakGuard.Sources.Oci;

/// <summary>
/// Pulls manifests and blobs of one repository through the OCI distribution API
/// (<c>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>, <c>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>),
/// bounded by <see cref="DownloadLimits"/> through <see cref="RegistryHttp"/> (which follows a
/// blob's redirect to storage, up to its own bound). Authentication follows the distribution
/// spec's token flow: a 401 with <c>WWW-Authenticate: Bearer realm=…,service=…,scope=…</c> is
/// answered by fetching a token from the realm (with the user's credentials, if any) and asking
/// again with it; a <c>Basic</c> challenge is answered with the credentials themselves.
/// Credentials come from <c>LEAKGUARD_OCI_USERNAME</c> and <c>LEAKGUARD_OCI_PASSWORD</c> and
/// are sent only over https, or to a loopback registry, or with --insecure.
/// </summary>
public sealed partial class OciRegistryClient(OciTarget target, RegistryHttp http, DownloadLimits limits, bool insecure)
{
    /// <summary>The spec asks registries to accept manifests of at least 4 MiB; none is larger.</summary>
    public const long MaxManifestBytes = 4 * 1024 * 1024;

    public static readonly string ManifestAccept = string.Join(", ",
        MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest);

    private readonly bool _plainHttp = insecure || target.IsLocal;
    private AuthenticationHeaderValue? _authorization;

    private Uri Url(string path) => new($"{(_plainHttp ? "http" : "https")}://{target.Host}/v2/{target.Repository}/{path}");

    /// <summary>A manifest or index by tag or digest, with its media type; checked against
    /// <paramref name="reference"/> when that is a digest.</summary>
    public (byte[] Body, string MediaType) Manifest(string reference)
    {
        var fetched = Get(Url($"manifests/{reference}"), ManifestAccept, MaxManifestBytes);
        if (fetched.NotFound)
        {
            throw new RegistryException($"{target}: no manifest '{reference}' in {target.Host}/{target.Repository}");
        }
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && Sha256(fetched.Body) != reference)
        {
            throw new RegistryException($"{target}: the manifest for {reference} does not match its digest (it is {Sha256(fetched.Body)})");
        }
        string mediaType = fetched.MediaType is { } type && (MediaTypes.IsIndex(type) || MediaTypes.IsManifest(type))
            ? type
            : MediaTypeInside(fetched.Body) ?? throw new RegistryException(
                $"{target}: '{reference}' is a {fetched.MediaType ?? "document without a media type"}, not an OCI or Docker v2 image manifest or index");
        return (fetched.Body, mediaType);
    }

    /// <summary>A blob by digest; null when the registry does not have it. Its digest is not
    /// checked here: the image expander checks every blob and says which one does not match.</summary>
    public byte[]? Blob(string digest, long maxBytes)
    {
        var fetched = Get(Url($"blobs/{digest}"), "*/*", maxBytes);
        return fetched.NotFound ? null : fetched.Body;
    }

    public static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private RegistryHttp.Fetched Get(Uri url, string accept, long maxBytes)
    {
        var fetched = http.GetAsync(url, _authorization, accept, gzip: false, maxBytes, challengeOk: true, CancellationToken.None).GetAwaiter().GetResult();
        if (fetched.Status != HttpStatusCode.Unauthorized)
        {
            return fetched;
        }
        _authorization = Answer(fetched.Challenge ?? "")
            ?? throw new RegistryException($"{target}: the registry asks for credentials (set LEAKGUARD_OCI_USERNAME and LEAKGUARD_OCI_PASSWORD)");
        fetched = http.GetAsync(url, _authorization, accept, gzip: false, maxBytes, challengeOk: true, CancellationToken.None).GetAwaiter().GetResult();
        return fetched.Status == HttpStatusCode.Unauthorized
            ? throw new RegistryException($"{target}: credentials missing or rejected (LEAKGUARD_OCI_USERNAME, LEAKGUARD_OCI_PASSWORD)")
            : fetched;
    }

    /// <summary>What to send after a 401: a bearer token from the challenge's realm, or the
    /// user's credentials for a Basic challenge; null when there is nothing to send.</summary>
    private AuthenticationHeaderValue? Answer(string challenge)
    {
        var basic = Credentials();
        if (challenge.StartsWith("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return basic;
        }
        if (!challenge.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var parameters = ChallengeParameter().Matches(challenge).ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
        if (!parameters.TryGetValue("realm", out string? realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUrl)
            || realmUrl.Scheme is not ("https" or "http"))
        {
            throw new RegistryException($"{target}: the registry's token challenge names no usable realm");
        }
        if (realmUrl.Scheme == "http" && basic is not null && !_plainHttp)
        {
            throw new RegistryException($"{target}: the token realm {realmUrl.Host} is plain http; credentials are not sent there (use --insecure to allow it)");
        }
        var query = new StringBuilder();
        foreach (string key in (ReadOnlySpan<string>)["service", "scope"])
        {
            if (parameters.TryGetValue(key, out string? value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
        if (!parameters.ContainsKey("scope"))
        {
            query.Append(query.Length == 0 ? '?' : '&').Append("scope=").Append(Uri.EscapeDataString($"repository:{target.Repository}:pull"));
        }
        var answer = http.GetAsync(new Uri(realmUrl.GetLeftPart(UriPartial.Path) + query), basic, "application/json", gzip: false,
            limits.MaxMetadataBytes, challengeOk: true, CancellationToken.None).GetAwaiter().GetResult();
        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            throw new RegistryException(basic is null
                ? $"{target}: the registry's token service asks for credentials (set LEAKGUARD_OCI_USERNAME and LEAKGUARD_OCI_PASSWORD)"
                : $"{target}: the registry's token service rejected the credentials (LEAKGUARD_OCI_USERNAME, LEAKGUARD_OCI_PASSWORD)");
        }
        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            string? token = json.RootElement.ValueKind == JsonValueKind.Object
                ? (json.RootElement.TryGetProperty("token", out var t) ? t : json.RootElement.TryGetProperty("access_token", out var a) ? a : default) is { ValueKind: JsonValueKind.String } found ? found.GetString() : null
                : null;
            return token is { Length: > 0 } ? new AuthenticationHeaderValue("Bearer", token)
                : throw new RegistryException($"{target}: the token service gave no token");
        }
        catch (JsonException)
        {
            throw new RegistryException($"{target}: the token service's answer is not JSON");
        }
    }

    private static AuthenticationHeaderValue? Credentials()
    {
        string? user = Environment.GetEnvironmentVariable("LEAKGUARD_OCI_USERNAME");
        string? password = Environment.GetEnvironmentVariable("LEAKGUARD_OCI_PASSWORD");
        return string.IsNullOrEmpty(user) || password is null
            ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    /// <summary>The media type a manifest names itself, when the registry's Content-Type does not.</summary>
    private static string? MediaTypeInside(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { } named
                && (MediaTypes.IsIndex(named) || MediaTypes.IsManifest(named)))
            {
                return named;
            }
            return root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : root.TryGetProperty("layers", out _) ? MediaTypes.OciManifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // key="value" pairs of a WWW-Authenticate challenge.
    [GeneratedRegex("([A-Za-z]+)=\"([^\"]*)\"")]
    private static partial Regex ChallengeParameter();
}
