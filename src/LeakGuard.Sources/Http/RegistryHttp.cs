using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using LeakGuard.Core.Findings;

namespace LeakGuard.Sources.Http;

/// <summary>
/// GETs registry documents and package files into memory, bounded by <see cref="DownloadLimits"/>.
/// Transient failures (connection errors, timeouts, 429, 5xx) are retried with exponential
/// backoff; the body is read inside each attempt so a connection dropped mid-download is retried
/// too. Credentials travel only in the Authorization header and never appear in a message.
/// </summary>
public sealed class RegistryHttp : IDisposable
{
    private readonly DownloadLimits _limits;
    // Built on first use: a scan of local files never fetches, and building both costs ~0.15 s of
    // start-up.
    private readonly Lazy<HttpClient> _client;
    private readonly Lazy<ResiliencePipeline<Fetched>> _pipeline;

    public RegistryHttp(DownloadLimits limits)
    {
        _limits = limits;
        _client = new(CreateClient);
        _pipeline = new(() => CreatePipeline(limits));
    }

    private static HttpClient CreateClient()
    {
        // The per-attempt timeout lives in the pipeline, so the client's own is switched off.
        // Decompression is per request (see GetAsync): asking for gzip on a tarball makes some
        // registries (Verdaccio) compress the already compressed file again, on every download.
        var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("leakguard", "0.1"));
        return client;
    }

    private static ResiliencePipeline<Fetched> CreatePipeline(DownloadLimits limits) =>
        new ResiliencePipelineBuilder<Fetched>()
            .AddRetry(new RetryStrategyOptions<Fetched>
            {
                ShouldHandle = new PredicateBuilder<Fetched>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .HandleResult(f => IsTransient(f.Status)),
                MaxRetryAttempts = limits.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = limits.FirstRetryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
            })
            .AddTimeout(limits.AttemptTimeout)
            .Build();

    /// <summary>What one GET returned: the status, and the body when it was 2xx. <paramref name="MediaType"/>
    /// is the body's Content-Type; <paramref name="Challenge"/> a 401's WWW-Authenticate header.</summary>
    public sealed record Fetched(HttpStatusCode Status, byte[] Body, string? MediaType = null, string? Challenge = null)
    {
        public bool NotFound => Status is HttpStatusCode.NotFound or HttpStatusCode.Gone;
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>GETs <paramref name="url"/>. A 404 comes back as a result (callers turn it into
    /// "does not exist"); other failures after the retries throw <see cref="RegistryException"/>.
    /// <paramref name="gzip"/> asks for a compressed answer (JSON metadata); the bound applies to
    /// the decompressed bytes.</summary>
    public Task<Fetched> GetAsync(Uri url, string? bearerToken, string accept, bool gzip, long maxBytes, CancellationToken cancellation) =>
        GetAsync(url, bearerToken is null ? null : new AuthenticationHeaderValue("Bearer", bearerToken), accept, gzip, maxBytes, challengeOk: false, cancellation);

    /// <summary>GETs <paramref name="url"/> with any kind of credentials. With <paramref name="challengeOk"/>,
    /// a 401 comes back as a result carrying its challenge (the OCI distribution API's token
    /// authentication answers the first request so), rather than as an error.</summary>
    public async Task<Fetched> GetAsync(Uri url, AuthenticationHeaderValue? authorization, string accept, bool gzip, long maxBytes,
        bool challengeOk, CancellationToken cancellation)
    {
        Fetched fetched;
        try
        {
            fetched = await _pipeline.Value.ExecuteAsync(
                async token => await AttemptAsync(url, authorization, accept, gzip, maxBytes, token).ConfigureAwait(false),
                cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException)
        {
            throw new RegistryException($"{RedactedUrl.Of(url)}: {e.Message} (after {Retries})", e);
        }
        if (challengeOk && fetched.Status == HttpStatusCode.Unauthorized)
        {
            return fetched;
        }
        if (!fetched.NotFound && (int)fetched.Status is < 200 or > 299)
        {
            string why = fetched.Status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ": credentials missing or rejected (for npm: an _authToken for this host in .npmrc)",
                _ when IsTransient(fetched.Status) => $" (after {Retries})",
                // The client follows redirects up to its own bound: one still redirecting after it loops.
                _ when (int)fetched.Status is >= 300 and < 400 => " (too many redirects)",
                _ => "",
            };
            throw new RegistryException($"{RedactedUrl.Of(url)}: HTTP {(int)fetched.Status} {fetched.Status}{why}");
        }
        return fetched;
    }

    private async Task<Fetched> AttemptAsync(Uri url, AuthenticationHeaderValue? authorization, string accept, bool gzip, long maxBytes, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        if (gzip)
        {
            request.Headers.AcceptEncoding.ParseAdd("gzip");
        }
        request.Headers.Authorization = authorization;
        using var response = await _client.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return new Fetched(response.StatusCode, [], Challenge: response.Headers.WwwAuthenticate.ToString());
        }
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new RegistryException($"{RedactedUrl.Of(url)}: {response.Content.Headers.ContentLength:N0} bytes is more than the {maxBytes:N0} allowed");
        }
        await using var raw = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        await using var body = response.Content.Headers.ContentEncoding.Contains("gzip", StringComparer.OrdinalIgnoreCase)
            ? new GZipStream(raw, CompressionMode.Decompress)
            : raw;
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new RegistryException($"{RedactedUrl.Of(url)}: more than the {maxBytes:N0} bytes allowed");
            }
            buffer.Write(chunk, 0, read);
        }
        return new Fetched(response.StatusCode, buffer.ToArray(), response.Content.Headers.ContentType?.MediaType);
    }

    private string Retries => _limits.MaxRetries == 1 ? "1 retry" : $"{_limits.MaxRetries} retries";

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
