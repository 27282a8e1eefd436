namespace LeakGuard.Sources.Web;

/// <summary>Bounds on one crawl of a site: a site is outside input, and a hostile or broken one
/// must not exhaust memory, bandwidth or time.</summary>
public sealed record WebLimits
{
    public const long MiB = 1024 * 1024;

    /// <summary>Files fetched per run (pages, scripts, styles, manifests, maps, probes).</summary>
    public int MaxFiles { get; init; } = 500;

    /// <summary>Bytes kept per run, all files together: the site is scanned as one artefact, held
    /// in memory like an archive (within the scan's 256 MiB per input).</summary>
    public long MaxBytes { get; init; } = 200 * MiB;

    /// <summary>One file; real bundles and their maps are a few MiB, the largest tens.</summary>
    public long MaxFileBytes { get; init; } = 64 * MiB;

    /// <summary>One request, including reading the body.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole crawl; what is fetched by then is scanned.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests in flight at once: polite to the site.</summary>
    public int Concurrency { get; init; } = 4;

    public int MaxRedirects { get; init; } = 5;
}

/// <summary>How <c>web:</c> targets are crawled: the hosts besides the site's own that are in
/// scope (its CDN), the sites whose owner declares their code open source, headers for a site
/// behind a login (sent to the site's own origin only), and the bounds.</summary>
public sealed record WebSettings
{
    /// <summary>A cookie for sites behind a login (the Cookie header's value).</summary>
    public const string CookieVariable = "LEAKGUARD_WEB_COOKIE";

    /// <summary>Extra request headers, one "Name: value" per line.</summary>
    public const string HeadersVariable = "LEAKGUARD_WEB_HEADERS";

    public IReadOnlyCollection<string> CdnHosts { get; init; } = [];

    /// <summary>Sites (origins or host names) whose served code is open source: their maps are
    /// low, like an open-source package's. Every other site's own code is first-party.</summary>
    public IReadOnlyCollection<string> OpenSourceSites { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public WebLimits Limits { get; init; } = new();

    /// <summary>The headers the environment gives, and a per-run byte bound within what the scan
    /// holds of one input (<paramref name="maxInputBytes"/>): the site is scanned as one artefact.</summary>
    public static WebSettings FromEnvironment(long maxInputBytes) => new()
    {
        Headers = HeadersFromEnvironment(),
        Limits = new WebLimits { MaxBytes = Math.Min(new WebLimits().MaxBytes, maxInputBytes) },
    };

    /// <summary>Headers from <see cref="CookieVariable"/> and <see cref="HeadersVariable"/>.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> HeadersFromEnvironment()
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (Environment.GetEnvironmentVariable(CookieVariable) is { Length: > 0 } cookie)
        {
            headers.Add(new("Cookie", cookie));
        }
        foreach (string line in (Environment.GetEnvironmentVariable(HeadersVariable) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }
        return headers;
    }
}
