using System.Net;
using System.Net.Http.Headers;
using LeakGuard.Core.Findings;

namespace LeakGuard.Sources.Web;

/// <summary>What one GET of a site file returned, after redirects.</summary>
public sealed record WebResponse(Uri Url, HttpStatusCode Status, byte[] Body, string? ContentType, string? SourceMapHeader)
{
    public bool Ok => (int)Status is >= 200 and <= 299;
}

/// <summary>
/// GETs files of one site within <see cref="WebLimits"/>: redirects are followed by hand, only to
/// hosts in scope; the configured headers (a login cookie) go to the site's own origin only;
/// bodies are read within the per-file and per-run byte bounds and the request timeout. Whatever
/// is refused is one warning naming the URL and returns null; nothing is retried (a site is
/// crawled again on the next run).
/// </summary>
public sealed class WebFetcher : IDisposable
{
    public const string UserAgent = "LeakGuard/0.1 (source-map and secret scanner)";

    private readonly HttpClient _client;
    private readonly WebScope _scope;
    private readonly WebSettings _settings;
    private readonly Action<string, string> _warn;
    private long _bytes;
    private long _read;

    public WebFetcher(WebScope scope, WebSettings settings, Action<string, string> warn)
    {
        _scope = scope;
        _settings = settings;
        _warn = warn;
        // No automatic redirects (each hop is checked against the scope) and no cookie container
        // (a cookie set by one host must not travel to another).
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = settings.Limits.RequestTimeout,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    public long BytesFetched => Interlocked.Read(ref _bytes);

    /// <summary>Body bytes read from the network, files refused part-way included: what the crawl cost.</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    /// <summary>GETs <paramref name="url"/>; null when it was refused or failed (warned once),
    /// or, for a <paramref name="probe"/> (a guessed URL), when it is simply not there.</summary>
    public async Task<WebResponse?> GetAsync(Uri url, bool probe, CancellationToken run)
    {
        var limits = _settings.Limits;
        // Warnings name the URL the crawl asked for, wherever its redirects led.
        var asked = url;
        for (int hop = 0; ; hop++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run);
            timeout.CancelAfter(limits.RequestTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (_scope.IsSiteOrigin(url))
                {
                    foreach (var (name, value) in _settings.Headers)
                    {
                        request.Headers.TryAddWithoutValidation(name, value);
                    }
                }
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 300 and <= 399 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (hop >= limits.MaxRedirects)
                    {
                        _warn(Shown(asked), $"not fetched: more than {limits.MaxRedirects} redirects (a redirect loop?)");
                        return null;
                    }
                    if (!_scope.Contains(next))
                    {
                        _warn(Shown(asked), $"not fetched: redirects to {RedactedUrl.Of(next)}, which is not in scope (add its host with --web-cdn if it belongs to the site)");
                        return null;
                    }
                    url = next;
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    // A guessed URL (a map without a comment, a chunk name) that is not there is no news.
                    if (!probe)
                    {
                        _warn(Shown(asked), $"not fetched: HTTP {(int)response.StatusCode} {response.StatusCode}");
                    }
                    return new WebResponse(url, response.StatusCode, [], null, null);
                }
                long allowed = Math.Min(limits.MaxFileBytes, limits.MaxBytes - BytesFetched);
                if (response.Content.Headers.ContentLength > allowed)
                {
                    _warn(Shown(asked), $"not fetched: {response.Content.Headers.ContentLength:N0} bytes is more than the {allowed:N0} allowed");
                    return null;
                }
                byte[]? body = await ReadAsync(response, allowed, timeout.Token).ConfigureAwait(false);
                if (body is null)
                {
                    _warn(Shown(asked), $"not fetched: more than the {allowed:N0} bytes allowed");
                    return null;
                }
                Interlocked.Add(ref _bytes, body.Length);
                string? mapHeader = Header(response, "SourceMap") ?? Header(response, "X-SourceMap");
                return new WebResponse(url, response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, mapHeader);
            }
            catch (OperationCanceledException) when (!run.IsCancellationRequested)
            {
                _warn(Shown(asked), $"not fetched: no complete answer within {limits.RequestTimeout.TotalSeconds:0.#} s");
                return null;
            }
            catch (OperationCanceledException)
            {
                _warn(Shown(asked), $"not fetched: the crawl's time ({limits.RunTimeout.TotalMinutes:0.#} min) ran out");
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                _warn(Shown(asked), $"not fetched: {e.Message}");
                return null;
            }
        }
    }

    private async Task<byte[]?> ReadAsync(HttpResponseMessage response, long allowed, CancellationToken cancellation)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
        {
            Interlocked.Add(ref _read, read);
            if (buffer.Length + read > allowed)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Shown(Uri url) => RedactedUrl.Of(url);

    public void Dispose() => _client.Dispose();
}
