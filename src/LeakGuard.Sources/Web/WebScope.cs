namespace LeakGuard.Sources.Web;

/// <summary>Which URLs a crawl of a site may fetch: the origins of its entry pages, and the CDN
/// hosts the user listed (any port, http or https).</summary>
public sealed class WebScope(IReadOnlyList<Uri> entries, IReadOnlyCollection<string> cdnHosts)
{
    private readonly HashSet<string> _origins = [.. entries.Select(Origin)];
    private readonly HashSet<string> _cdnHosts = new(cdnHosts, StringComparer.OrdinalIgnoreCase);

    public bool IsSiteOrigin(Uri url) => _origins.Contains(Origin(url));

    public bool Contains(Uri url) =>
        url.Scheme is "http" or "https" && url.UserInfo.Length == 0 && (IsSiteOrigin(url) || _cdnHosts.Contains(url.Host));

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}
