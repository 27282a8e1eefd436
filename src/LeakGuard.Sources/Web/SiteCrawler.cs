using System.Text;
using LeakGuard.Core.Expansion.SourceMaps;
using LeakGuard.Core.Findings;

namespace LeakGuard.Sources.Web;

/// <summary>One file a crawl kept: its name inside the site (<c>static/js/main.3f2a.js</c>; a CDN
/// file is <c>cdn.example.net/lib.js</c>) and its bytes.</summary>
public sealed record SiteFile(string Member, byte[] Content);

/// <summary>
/// Crawls one site the way a browser loads it, without running anything: the entry pages, the
/// scripts and styles they load, the chunks runtimes and build manifests name, and every map —
/// the one a <c>sourceMappingURL</c> comment or <c>SourceMap</c>/<c>X-SourceMap</c> header names,
/// else <c>&lt;asset&gt;.map</c>, since maps are often deployed with the comment stripped.
/// Requests go out in waves of at most <see cref="WebLimits.Concurrency"/>; the crawl stops at
/// <see cref="WebLimits.MaxFiles"/> or <see cref="WebLimits.RunTimeout"/>, with one warning, and
/// scans what it has.
/// </summary>
public sealed class SiteCrawler(WebTarget target, WebSettings settings, Action<string, string> warn)
{
    private enum Kind { Page, Script, Style, Manifest, Map }

    private sealed record Request(Uri Url, Kind Kind, bool Probe);

    private readonly WebScope _scope = new(target.Entries, settings.CdnHosts);
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);
    private readonly Queue<Request> _pending = new();
    private readonly Dictionary<string, SiteFile> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outOfScope = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Body bytes the last crawl read, refused files included.</summary>
    public long BytesRead { get; private set; }

    public IReadOnlyList<SiteFile> Crawl()
    {
        var limits = settings.Limits;
        using var fetcher = new WebFetcher(_scope, settings, warn);
        using var deadline = new CancellationTokenSource(limits.RunTimeout);
        foreach (var entry in target.Entries)
        {
            Enqueue(entry, Kind.Page, probe: false, from: null);
        }
        foreach (var origin in target.Entries.Select(e => new Uri(e.GetLeftPart(UriPartial.Authority) + "/")).Distinct())
        {
            foreach (string manifest in AssetDiscovery.RootManifests)
            {
                Enqueue(new Uri(origin, manifest), Kind.Manifest, probe: true, from: null);
            }
        }
        bool capped = false;
        while (_pending.Count > 0 && !deadline.IsCancellationRequested)
        {
            var wave = new List<Request>();
            while (_pending.Count > 0 && wave.Count < limits.Concurrency * 4)
            {
                wave.Add(_pending.Dequeue());
            }
            using var gate = new SemaphoreSlim(limits.Concurrency);
            var responses = wave.Select(async request =>
            {
                await gate.WaitAsync(deadline.Token).ConfigureAwait(false);
                try
                {
                    return await fetcher.GetAsync(request.Url, request.Probe, deadline.Token).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            for (int i = 0; i < wave.Count; i++)
            {
                WebResponse? response;
                try
                {
                    response = responses[i].GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    response = null;
                }
                if (response is { Ok: true })
                {
                    capped |= Keep(wave[i], response);
                }
            }
        }
        if (deadline.IsCancellationRequested)
        {
            warn(target.Name, $"crawl stopped after {limits.RunTimeout.TotalMinutes:0.#} min; what was fetched by then is scanned");
        }
        if (capped)
        {
            warn(target.Name, $"crawl stopped at {limits.MaxFiles} files; the site names more, which are not scanned");
        }
        BytesRead = fetcher.BytesRead;
        foreach (string host in _outOfScope)
        {
            warn(target.Name, $"files on {host} not fetched: not the site's origin (add the host with --web-cdn if it is the site's CDN)");
        }
        return [.. _files.Values.OrderBy(f => f.Member, StringComparer.Ordinal)];
    }

    /// <summary>Keeps a fetched file and queues what it names; true when the file cap cut that off.</summary>
    private bool Keep(Request request, WebResponse response)
    {
        var url = response.Url;
        bool html = response.ContentType is "text/html" or "application/xhtml+xml";
        if (request.Probe && html && request.Kind != Kind.Page)
        {
            // A single-page app answers every unknown path with its index page: not the file asked for.
            return false;
        }
        if (request.Kind == Kind.Map && !LooksLikeMap(response.Body))
        {
            if (!request.Probe)
            {
                warn(RedactedUrl.Of(url), "named as a source map but is not one (not a JSON object)");
            }
            return false;
        }
        if (request.Kind == Kind.Manifest && !LooksLikeJson(response.Body))
        {
            return false;
        }
        string member = Member(url, request.Kind);
        if (!_files.TryAdd(member, new SiteFile(member, response.Body)))
        {
            return false;
        }
        bool capped = false;
        switch (request.Kind)
        {
            case Kind.Page:
                foreach (string named in AssetDiscovery.InPage(Text(response.Body)))
                {
                    capped |= EnqueueNamed(url, named, probe: false);
                }
                break;
            case Kind.Script:
            case Kind.Style:
                capped |= EnqueueMap(request, response);
                if (request.Kind == Kind.Script)
                {
                    var root = BuildRoot(url);
                    foreach (string chunk in AssetDiscovery.InScript(Text(response.Body)))
                    {
                        // ./x.js and /x.js mean what they mean in the script; a bare path is below the build root.
                        bool relative = chunk.StartsWith("./", StringComparison.Ordinal) || chunk.StartsWith("../", StringComparison.Ordinal) || chunk.StartsWith('/');
                        capped |= EnqueueNamed(relative ? url : root, chunk, probe: true);
                    }
                }
                break;
            case Kind.Manifest:
                var siteRoot = new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
                foreach (string named in AssetDiscovery.InJsonManifest(response.Body))
                {
                    capped |= EnqueueNamed(siteRoot, named, probe: true);
                }
                break;
        }
        return capped;
    }

    /// <summary>The map a script or stylesheet points to (header, then comment), else a guess.</summary>
    private bool EnqueueMap(Request request, WebResponse response)
    {
        string? named = response.SourceMapHeader;
        if (named is null && SourceMappingUrl.Find(response.Body) is { IsData: false } comment)
        {
            named = comment.Text;
        }
        if (named is not null && Uri.TryCreate(response.Url, named, out var map))
        {
            return Enqueue(map, Kind.Map, probe: false, from: response.Url);
        }
        if (named is null && SourceMappingUrl.Find(response.Body) is null)
        {
            return Enqueue(new Uri(response.Url.GetLeftPart(UriPartial.Path) + ".map"), Kind.Map, probe: true, from: response.Url);
        }
        return false;
    }

    private bool EnqueueNamed(Uri from, string named, bool probe) =>
        Uri.TryCreate(from, named, out var url) && KindOf(url) is var kind && kind != Kind.Page && Enqueue(url, kind, probe, from);

    /// <returns>True when the file cap refused the request.</returns>
    private bool Enqueue(Uri url, Kind kind, bool probe, Uri? from)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            return false;
        }
        if (!_scope.Contains(url))
        {
            if (from is not null)
            {
                _outOfScope.Add(url.Authority);
            }
            return false;
        }
        string key = url.GetLeftPart(UriPartial.Query);
        if (_requested.Contains(key))
        {
            return false;
        }
        if (_requested.Count >= settings.Limits.MaxFiles)
        {
            return true;
        }
        _requested.Add(key);
        _pending.Enqueue(new Request(url, kind, probe));
        return false;
    }

    /// <summary>Where a runtime's bare chunk paths start: Next.js names them below <c>/_next/</c>,
    /// webpack and Vite below the site root.</summary>
    private static Uri BuildRoot(Uri script)
    {
        string path = script.AbsolutePath;
        int next = path.IndexOf("/_next/", StringComparison.Ordinal);
        return new Uri(script, next >= 0 ? path[..(next + "/_next/".Length)] : "/");
    }

    private static Kind KindOf(Uri url)
    {
        string path = url.AbsolutePath;
        return path.EndsWith(".js", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".mjs", StringComparison.OrdinalIgnoreCase) ? Kind.Script
            : path.EndsWith(".css", StringComparison.OrdinalIgnoreCase) ? Kind.Style
            : path.EndsWith(".map", StringComparison.OrdinalIgnoreCase) ? Kind.Map
            : path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Kind.Manifest
            : Kind.Page;
    }

    /// <summary>The file's name inside the site: its path on the site's own origin, host and path
    /// on any other; a page at a folder is its index.html, and a map always ends in .map (the
    /// expanders know maps by name).</summary>
    private string Member(Uri url, Kind kind)
    {
        string path = Uri.UnescapeDataString(url.AbsolutePath).TrimStart('/');
        if (path.Length == 0 || path.EndsWith('/'))
        {
            path += "index.html";
        }
        if (kind == Kind.Map && !path.EndsWith(".map", StringComparison.OrdinalIgnoreCase))
        {
            path += ".map";
        }
        return url.GetLeftPart(UriPartial.Authority) + "/" == target.Site ? path : $"{url.Authority}/{path}";
    }

    private static bool LooksLikeMap(byte[] body) => FirstSignificant(body) is (byte)'{' or (byte)')';

    private static bool LooksLikeJson(byte[] body) => FirstSignificant(body) is (byte)'{' or (byte)'[';

    private static byte? FirstSignificant(byte[] body)
    {
        int i = body.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
        return i < body.Length ? body[i] : null;
    }

    private static string Text(byte[] body) => Encoding.UTF8.GetString(body);
}
