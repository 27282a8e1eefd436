namespace LeakGuard.Core.Rules;

/// <summary>
/// A rule's <c>validate:</c> block: the one read-only request that asks the provider whether a found
/// secret works, and how to read the answer (rules/README.md, "Validation"). Checked when the rule
/// loads: the URL is HTTPS with a fixed host, so a secret can only ever reach its provider.
/// </summary>
public sealed record ValidatorSpec
{
    /// <summary>What stands for the secret in the URL (percent-encoded there), headers and body.</summary>
    public const string SecretPlaceholder = "{{secret}}";

    /// <summary>What stands for the other half of a key pair (<see cref="Pair"/>) in a plain request:
    /// Twilio's Account SID beside its auth token.</summary>
    public const string PairPlaceholder = "{{pair}}";

    public required string Method { get; init; }

    /// <summary>The provider's endpoint; <see cref="SecretPlaceholder"/> may appear only in its path or query.</summary>
    public required Uri Url { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>HTTP Basic credentials as <c>user:password</c>, placeholders allowed.</summary>
    public string? Basic { get; init; }

    public string? Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>AWS STS GetCallerIdentity, signed with SigV4.</summary>
    public const string AwsSigV4 = "aws-sigv4";

    /// <summary>Google's OAuth token exchange with a JWT signed by a service-account key.</summary>
    public const string GcpServiceAccount = "gcp-service-account";

    /// <summary>Azure Storage's Blob service, signed with Shared Key; the account name becomes the host's first label.</summary>
    public const string AzureSharedKey = "azure-sharedkey";

    private static readonly string[] Signers = [AwsSigV4, GcpServiceAccount, AzureSharedKey];

    /// <summary>Signing schemes written in code (<see cref="Signers"/>); null for a plain request.</summary>
    public string? Signer { get; init; }

    /// <summary>The rule that finds the other half of a key pair (the AWS access key ID beside its
    /// secret): the secret is validated with each such half found in the same file.</summary>
    public string? Pair { get; init; }

    /// <summary>The secret is itself a URL of <see cref="Url"/>'s endpoint (a Slack incoming webhook):
    /// the request goes to the secret, and only when it is an https:// URL that begins with
    /// <see cref="Url"/>, whose path ends in '/' so that the prefix fixes the host. Any other
    /// secret is not sent.</summary>
    public bool SecretIsUrl { get; init; }

    /// <summary>The rule that finds the host the request goes to: a host name one label under
    /// <see cref="Url"/>'s host (a Shopify shop's <c>NAME.myshopify.com</c>, an Atlassian site's
    /// <c>NAME.atlassian.net</c>), each such name of the same file tried. A name that is not exactly
    /// one DNS label (lower-case letters, digits, '-') more is not sent.</summary>
    public string? HostPair { get; init; }

    /// <summary>Statuses that mean live, when the JSON answer also has every value <see cref="LiveJson"/> asks for.</summary>
    public IReadOnlyList<int> Live { get; init; } = [200];

    /// <summary>Dotted JSON paths and the values each may have for a live answer (Slack's <c>ok: true</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> LiveJson { get; init; } = [];

    /// <summary>Texts of which the answer must hold one to mean live (a plain-text answer, as Slack's webhooks give).</summary>
    public IReadOnlyList<string> LiveBody { get; init; } = [];

    /// <summary>Statuses that mean invalid, when the answer also matches <see cref="InvalidJson"/> and
    /// <see cref="InvalidBody"/> (if given).</summary>
    public IReadOnlyList<int> Invalid { get; init; } = [401];

    /// <summary>Dotted JSON paths and the values that mean invalid (Slack's <c>error: invalid_auth</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> InvalidJson { get; init; } = [];

    /// <summary>Texts of which the answer must hold one to mean invalid (a refusal's message).</summary>
    public IReadOnlyList<string> InvalidBody { get; init; } = [];

    /// <summary>Identity facts: a name and the dotted path of a JSON value in a live answer.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Identity { get; init; } = [];

    /// <summary>A response header listing scopes (comma- or space-separated).</summary>
    public string? ScopesHeader { get; init; }

    /// <summary>The dotted JSON path of the scopes (an array, or a space-separated string).</summary>
    public string? Scopes { get; init; }

    /// <summary>Requests to this provider at once (a provider's rate limit is shared by every rule of it).</summary>
    public int Concurrency { get; init; } = 2;

    /// <summary>The same endpoint at the provider's other sites (regions), asked in turn when
    /// <see cref="Url"/> refuses the secret: a key of another site is refused by each but its own,
    /// so it is invalid only when every site refuses it.</summary>
    public IReadOnlyList<Uri> Sites { get; init; } = [];

    private static IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Conditions(Dictionary<string, List<string>>? conditions) =>
        [.. (conditions ?? []).Select(c => KeyValuePair.Create(c.Key, (IReadOnlyList<string>)c.Value))];

    /// <summary>An absolute https:// URL whose host is fixed: the secret (and a pair's other half)
    /// may appear only in its path or query.</summary>
    private static void CheckUrl([System.Diagnostics.CodeAnalysis.NotNull] string? text, string field, string where)
    {
        if (text is null || !Uri.TryCreate(text.Replace(SecretPlaceholder, "x", StringComparison.Ordinal).Replace(PairPlaceholder, "x", StringComparison.Ordinal), UriKind.Absolute, out var url)
            || url.Scheme != Uri.UriSchemeHttps)
        {
            throw new RuleLoadException($"{where}: {field} must be an absolute https:// URL, not '{text}'");
        }
        int hostEnd = text.IndexOfAny(['/', '?', '#'], "https://".Length);
        if (text.AsSpan(0, hostEnd < 0 ? text.Length : hostEnd).Contains("{{", StringComparison.Ordinal))
        {
            throw new RuleLoadException($"{where}: {field} must name its host: the secret (and a pair's other half) may appear only in the path or query");
        }
    }

    /// <summary>Checks a rule file's <c>validate:</c> block.</summary>
    /// <exception cref="RuleLoadException">Named by <paramref name="where"/>.</exception>
    internal static ValidatorSpec From(ValidateDocument doc, string where)
    {
        string method = (doc.Method ?? "GET").ToUpperInvariant();
        // POST only for the documented read-only calls that take one (Slack's auth.test, an OAuth token exchange).
        if (method is not ("GET" or "POST" or "HEAD"))
        {
            throw new RuleLoadException($"{where}: validate.method must be GET, HEAD or POST, not '{doc.Method}'");
        }
        CheckUrl(doc.Url, "validate.url", where);
        foreach (string? site in doc.Sites ?? [])
        {
            CheckUrl(site, "validate.sites", where);
        }
        if (doc.Signer is not null && !Signers.Contains(doc.Signer))
        {
            throw new RuleLoadException($"{where}: validate.signer must be {string.Join(" or ", Signers)}, not '{doc.Signer}'");
        }
        bool usesPair = new[] { doc.Url, doc.Basic, doc.Body }.Concat(doc.Headers?.Values.AsEnumerable() ?? [])
            .Any(t => t?.Contains(PairPlaceholder, StringComparison.Ordinal) == true);
        if (usesPair != (doc.Pair is not null && doc.Signer is null))
        {
            throw new RuleLoadException($"{where}: validate uses {PairPlaceholder} exactly when it names a pair and no signer");
        }
        if (doc.SecretIsUrl == true && (!doc.Url.EndsWith('/') || doc.Url.Contains('?', StringComparison.Ordinal)
            || doc.Url.Contains("{{", StringComparison.Ordinal) || doc.Sites is { Count: > 0 }))
        {
            throw new RuleLoadException($"{where}: validate.secret_is_url needs a url ending in '/', with no placeholder, query or sites: the secret must begin with it");
        }
        if (doc.HostPair is not null && (doc.Signer is not null || doc.Sites is { Count: > 0 }
            || new Uri(doc.Url.Replace(SecretPlaceholder, "x", StringComparison.Ordinal).Replace(PairPlaceholder, "x", StringComparison.Ordinal), UriKind.Absolute).Host.Count(c => c == '.') < 1))
        {
            throw new RuleLoadException($"{where}: validate.host_pair needs a url whose host has at least two labels, and no signer or sites");
        }
        if (doc.Signer is not null && doc.Pair is null)
        {
            throw new RuleLoadException($"{where}: validate.signer needs validate.pair, the rule that finds the key's other half");
        }
        bool usesSecret = new[] { doc.Url, doc.Basic, doc.Body }.Concat(doc.Headers?.Values.AsEnumerable() ?? [])
            .Any(t => t?.Contains(SecretPlaceholder, StringComparison.Ordinal) == true);
        if (!usesSecret && doc.Signer is null && doc.SecretIsUrl != true)
        {
            throw new RuleLoadException($"{where}: validate sends no {SecretPlaceholder}");
        }
        if (doc.Concurrency is < 1 or > 16)
        {
            throw new RuleLoadException($"{where}: validate.concurrency must be 1 to 16");
        }
        return new ValidatorSpec
        {
            Method = method,
            Url = new Uri(doc.Url, UriKind.Absolute),
            Headers = [.. doc.Headers ?? []],
            Basic = doc.Basic,
            Body = doc.Body,
            ContentType = doc.ContentType,
            Signer = doc.Signer,
            Pair = doc.Pair,
            Live = doc.Live is { Count: > 0 } live ? live : [200],
            LiveJson = Conditions(doc.LiveJson),
            LiveBody = doc.LiveBody ?? [],
            SecretIsUrl = doc.SecretIsUrl == true,
            HostPair = doc.HostPair,
            Invalid = doc.Invalid is { Count: > 0 } invalid ? invalid : [401],
            InvalidJson = Conditions(doc.InvalidJson),
            InvalidBody = doc.InvalidBody ?? [],
            Identity = [.. doc.Identity ?? []],
            ScopesHeader = doc.ScopesHeader,
            Scopes = doc.Scopes,
            Concurrency = doc.Concurrency ?? 2,
            Sites = [.. (doc.Sites ?? []).OfType<string>().Select(site => new Uri(site, UriKind.Absolute))],
        };
    }
}

/// <summary>A <c>validate:</c> block as its YAML spells it.</summary>
internal sealed class ValidateDocument
{
    public string? Method { get; set; }
    public string? Url { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public string? Basic { get; set; }
    public string? Body { get; set; }
    public string? ContentType { get; set; }
    public string? Signer { get; set; }
    public string? Pair { get; set; }
    public List<int>? Live { get; set; }
    public Dictionary<string, List<string>>? LiveJson { get; set; }
    public List<string>? LiveBody { get; set; }
    public bool? SecretIsUrl { get; set; }
    public string? HostPair { get; set; }
    public List<int>? Invalid { get; set; }
    public Dictionary<string, List<string>>? InvalidJson { get; set; }
    public List<string>? InvalidBody { get; set; }
    public Dictionary<string, string>? Identity { get; set; }
    public string? ScopesHeader { get; set; }
    public string? Scopes { get; set; }
    public int? Concurrency { get; set; }
    public List<string?>? Sites { get; set; }
}
