using System.Text.Json;
using LeakGuard.Sources.Http;
using LeakGuard.Core.Findings;

namespace LeakGuard.Sources.Npm;

/// <summary>
/// Lists the packages of one scope (<c>@acme</c>) through the registry's search API,
/// <c>GET -/v1/search?text=…&amp;size=…&amp;from=…</c>: npm has no endpoint that lists a scope.
/// Search is fuzzy, so only names in the scope that npm would accept are kept; the result is
/// de-duplicated and sorted. Pages are fetched until the answer's <c>total</c> is reached or a
/// page is empty, at most <see cref="MaxPages"/> pages and <see cref="MaxPackages"/> names.
/// </summary>
internal sealed class NpmScopeListing(NpmConfig config, RegistryHttp http, DownloadLimits limits)
{
    /// <summary>The most the public registry answers per page; it cuts a larger size to this.</summary>
    internal const int PageSize = 250;

    internal const int MaxPages = 50;

    internal const int MaxPackages = 10_000;

    /// <summary>One page of a search answer: the names in the scope, how many objects the page
    /// held (in the scope or not: paging counts them all), and the total the registry claims.</summary>
    private sealed record Page(IReadOnlyList<string> Names, int Count, long? Total);

    /// <param name="registry">The registry as configured, for messages.</param>
    /// <param name="warn">(target, message): the listing was cut short or may be incomplete.</param>
    public IReadOnlyList<string> List(string scope, Uri registryUri, string registry, Action<string, string> warn, CancellationToken cancellation) =>
        List(scope, registry, (text, from) => Fetch(scope, registryUri, registry, text, from, cancellation), warn);

    /// <summary>Which queries are asked and how pages are followed, apart from HTTP.
    /// <paramref name="fetch"/> returns the body for (text, from).</summary>
    internal static IReadOnlyList<string> List(string scope, string registry, Func<string, int, byte[]> fetch, Action<string, string> warn)
    {
        // The public registry documents the scope: qualifier and filters on it exactly. Verdaccio
        // (5.33) knows no qualifiers: it matches each word as a substring of name or description,
        // so there the qualifier finds nothing and "@acme/" finds the scope. No one query serves
        // both; "@acme/" is not asked first because on the public registry it is fuzzy full-text
        // search that could bury the scope under unrelated packages.
        var names = Collect(scope, registry, $"scope:{scope[1..]}", fetch, warn);
        return names.Count > 0 ? names : Collect(scope, registry, scope + "/", fetch, warn);
    }

    private static List<string> Collect(string scope, string registry, string text, Func<string, int, byte[]> fetch, Action<string, string> warn)
    {
        string target = scope + "/*";
        var names = new SortedSet<string>(StringComparer.Ordinal);
        int from = 0;
        for (int pages = 1; ; pages++)
        {
            var page = Parse(fetch(text, from), scope, registry);
            names.UnionWith(page.Names);
            from += page.Count;
            // Without a total, a short page is the last.
            if (page.Count == 0 || (page.Total is { } total ? from >= total : page.Count < PageSize))
            {
                // Verdaccio 5 slices its results as (from, size) and reports that slice's length as
                // the total: it never answers past the first page, and looks complete when it is not.
                if (pages == 1 && page.Count >= PageSize && page.Total == page.Count)
                {
                    warn(target, $"{registry} answered one full page of {page.Count:N0} search results and called it the total; "
                        + $"it may hold more packages in {scope} than were listed (Verdaccio 5 answers one page only)");
                }
                break;
            }
            if (pages == MaxPages || names.Count >= MaxPackages)
            {
                warn(target, $"listing stopped after {pages} pages of search results and {Math.Min(names.Count, MaxPackages):N0} packages; "
                    + $"packages of {scope} beyond those are not scanned");
                break;
            }
        }
        return [.. names.Take(MaxPackages)];
    }

    private byte[] Fetch(string scope, Uri registryUri, string registry, string text, int from, CancellationToken cancellation)
    {
        var url = new Uri(registryUri, $"-/v1/search?text={Uri.EscapeDataString(text)}&size={PageSize}&from={from}");
        var fetched = http.GetAsync(url, config.TokenFor(url), "application/json", gzip: true, limits.MaxMetadataBytes, cancellation)
            .GetAwaiter().GetResult();
        if (fetched.NotFound)
        {
            throw new RegistryException($"{registry} has no search API ({RedactedUrl.Of(url)} answered 404), "
                + $"which listing the packages of {scope} needs; name the packages one by one");
        }
        return fetched.Body;
    }

    private static Page Parse(byte[] body, string scope, string registry)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
            {
                throw new RegistryException($"{registry} sent a search answer for {scope} without an \"objects\" list");
            }
            string prefix = scope + "/";
            var names = new List<string>();
            foreach (var entry in objects.EnumerateArray())
            {
                // The names go into packument URLs: only names npm itself would accept are kept.
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("package", out var package) && package.ValueKind == JsonValueKind.Object
                    && package.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                    && name.GetString() is { } text && text.StartsWith(prefix, StringComparison.Ordinal) && NpmTarget.IsPackageName(text))
                {
                    names.Add(text);
                }
            }
            long? total = root.TryGetProperty("total", out var totalElement) && totalElement.ValueKind == JsonValueKind.Number
                && totalElement.TryGetInt64(out long claimed) ? claimed : null;
            return new Page(names, objects.GetArrayLength(), total);
        }
        // Not JSON, or a string .NET cannot hold (invalid UTF-8, a lone surrogate escape: GetString
        // throws InvalidOperationException): either way the registry's answer is refused, not a crash.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RegistryException($"{registry} sent a search answer for {scope} that is not JSON ({e.Message})", e);
        }
    }
}
