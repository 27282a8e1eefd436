using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LeakGuard.Validation;

/// <summary>
/// Asks a provider whether a secret works, as a rule's <see cref="ValidatorSpec"/> declares: one
/// read-only request to the validator's own endpoint, retried after a 429 (as its Retry-After asks,
/// within a bound) or a 5xx, each attempt under a timeout, and the answer read as live, invalid,
/// unknown or error. Redirects are never followed, so the secret cannot be led to another host, and
/// no message carries the secret.
/// </summary>
public sealed class HttpValidator
{
    private readonly HttpClient _client;
    private readonly ValidationEndpoints _endpoints;
    private readonly ValidationLimits _limits;
    private readonly ResiliencePipeline<ProviderAnswer> _pipeline;
    private readonly TimeProvider _time;

    /// <param name="client">Must not follow redirects (<see cref="CreateClient"/>).</param>
    public HttpValidator(HttpClient client, ValidationEndpoints endpoints, ValidationLimits limits, TimeProvider? time = null)
    {
        _client = client;
        _endpoints = endpoints;
        _limits = limits;
        _time = time ?? TimeProvider.System;
        _pipeline = new ResiliencePipelineBuilder<ProviderAnswer>()
            .AddRetry(new RetryStrategyOptions<ProviderAnswer>
            {
                // A 429 asking for longer than the bound is not waited for: the answer is unknown.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } answer
                    && (answer.ServerError || (answer.RateLimited && (answer.RetryAfter ?? TimeSpan.Zero) <= limits.MaxRetryAfter))),
                MaxRetryAttempts = limits.MaxRetries,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result?.RetryAfter ?? limits.RetryDelay),
            })
            .AddTimeout(limits.AttemptTimeout)
            .Build();
    }

    /// <summary>A client for validators: no redirects, no cookies, and the test-only certificate
    /// trusted only when <paramref name="endpoints"/> carries one.</summary>
    public static HttpClient CreateClient(ValidationEndpoints endpoints)
    {
        var client = new HttpClient(CreateHandler(endpoints)) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("leakguard", "0.1"));
        return client;
    }

    /// <summary>The handler of <see cref="CreateClient"/>, for a provider's library that makes its own client.</summary>
    public static HttpMessageHandler CreateHandler(ValidationEndpoints endpoints)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (endpoints.TrustedCertificate is { } trusted)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString());
        }
        return handler;
    }

    /// <param name="pair">The other half of a key pair (<see cref="ValidatorSpec.Pair"/>), for <see cref="ValidatorSpec.PairPlaceholder"/>.</param>
    /// <param name="host">The host name found by <see cref="ValidatorSpec.HostPair"/>.</param>
    public async Task<ValidationResult> ValidateAsync(ValidatorSpec spec, string secret, CancellationToken cancellation, string? pair = null, string? host = null)
    {
        var result = await ValidateAtAsync(spec, secret, cancellation, pair, host).ConfigureAwait(false);
        if (spec.Sites.Count == 0)
        {
            return result;
        }
        // A provider with sites: live where one accepts it; invalid only when all refuse it; any
        // other answer (a 429, no answer) leaves it unknown or an error.
        var doubt = result.Status == ValidationStatus.Invalid ? null : result;
        foreach (var site in spec.Sites)
        {
            if (result.Status == ValidationStatus.Live)
            {
                break;
            }
            var answer = await ValidateAtAsync(spec with { Url = site }, secret, cancellation, pair, host).ConfigureAwait(false);
            result = answer.Status == ValidationStatus.Live ? answer with { Identity = [.. answer.Identity, KeyValuePair.Create("site", site.Host)] } : answer;
            doubt ??= answer.Status == ValidationStatus.Invalid ? null : answer;
        }
        return result.Status == ValidationStatus.Live ? result : doubt ?? result;
    }

    private async Task<ValidationResult> ValidateAtAsync(ValidatorSpec spec, string secret, CancellationToken cancellation, string? pair, string? host)
    {
        // A URL taken from the scanned file goes nowhere but the validator's own endpoint.
        if (spec.SecretIsUrl && !IsUnder(spec.Url, secret))
        {
            return Result(ValidationStatus.Unknown, $"not a URL under {spec.Url.GetLeftPart(UriPartial.Path)}: not sent");
        }
        if (spec.HostPair is not null && HostName(spec, host) is null)
        {
            return Result(ValidationStatus.Unknown, $"{spec.HostPair} is not a host name one label under {spec.Url.Host}: not sent");
        }
        ProviderAnswer answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(async token => await SendAsync(spec, secret, pair, host, token).ConfigureAwait(false),
                cancellation).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return Result(ValidationStatus.Error, $"no answer within {_limits.AttemptTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return Result(ValidationStatus.Error, $"request failed: {Without(e.Message, secret)}");
        }
        return Read(spec, answer);
    }

    private async Task<ProviderAnswer> SendAsync(ValidatorSpec spec, string secret, string? pair, string? host, CancellationToken cancellation)
    {
        using var request = Request(spec, secret, pair, host);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };
        return new ProviderAnswer(response.StatusCode, headers, await ReadBodyAsync(response, cancellation).ConfigureAwait(false), retryAfter);
    }

    private async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        byte[] buffer = new byte[_limits.MaxBodyBytes];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>The validator's request with the secret (and the pair's other half) in place of its placeholders.</summary>
    internal HttpRequestMessage Request(ValidatorSpec spec, string secret, string? pair = null, string? host = null)
    {
        string url = spec.SecretIsUrl && IsUnder(spec.Url, secret) ? secret
            : spec.Url.OriginalString.Replace(ValidatorSpec.SecretPlaceholder, UrlEscaped(secret), StringComparison.Ordinal)
                .Replace(ValidatorSpec.PairPlaceholder, UrlEscaped(pair ?? ""), StringComparison.Ordinal);
        var target = new Uri(url, UriKind.Absolute);
        if (spec.HostPair is not null && HostName(spec, host) is { } hostName)
        {
            target = new UriBuilder(target) { Host = hostName }.Uri;
        }
        var request = new HttpRequestMessage(new HttpMethod(spec.Method), _endpoints.Resolve(target));
        foreach (var (name, value) in spec.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, Fill(value, secret, pair));
        }
        if (spec.Basic is { } basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Fill(basic, secret, pair))));
        }
        if (spec.Body is { } body)
        {
            request.Content = new StringContent(Fill(body, secret, pair), Encoding.UTF8, spec.ContentType ?? "application/x-www-form-urlencoded");
        }
        return request;
    }

    /// <summary>Whether <paramref name="secret"/> is an https:// URL that begins with <paramref name="endpoint"/>
    /// (whose path ends in '/', so the host is the endpoint's), with no user info and nothing to escape.</summary>
    internal static bool IsUnder(Uri endpoint, string secret) =>
        secret.StartsWith(endpoint.OriginalString, StringComparison.Ordinal)
        && Uri.TryCreate(secret, UriKind.Absolute, out var url)
        && url.Scheme == Uri.UriSchemeHttps && url.UserInfo.Length == 0 && url.Fragment.Length == 0
        && string.Equals(url.IdnHost, endpoint.IdnHost, StringComparison.OrdinalIgnoreCase) && url.Port == endpoint.Port
        && url.AbsoluteUri == secret;

    /// <summary>The host found beside the secret as a host name exactly one DNS label under the
    /// endpoint's host (<c>acme.myshopify.com</c> under <c>myshopify.com</c>), lower-cased; null for anything else.</summary>
    internal static string? HostName(ValidatorSpec spec, string? host)
    {
        string suffix = "." + spec.Url.Host;
        if (host is null || !host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string label = host[..^suffix.Length].ToLowerInvariant();
        return label.Length is >= 1 and <= 63 && label[0] != '-' && label[^1] != '-'
            && label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            ? label + suffix
            : null;
    }

    /// <summary>Percent-encoded except for unreserved characters and ':', which a path segment may
    /// hold as is (Telegram's <c>/bot123:AA…/getMe</c>).</summary>
    internal static string UrlEscaped(string secret) =>
        Uri.EscapeDataString(secret).Replace("%3A", ":", StringComparison.Ordinal);

    private static string Fill(string template, string secret, string? pair) =>
        template.Replace(ValidatorSpec.SecretPlaceholder, secret, StringComparison.Ordinal)
            .Replace(ValidatorSpec.PairPlaceholder, pair ?? "", StringComparison.Ordinal);

    private ValidationResult Read(ValidatorSpec spec, ProviderAnswer answer)
    {
        int status = (int)answer.Status;
        string http = $"HTTP {status}";
        using var json = TryParse(answer.Body);
        if (spec.Live.Contains(status) && Holds(spec.LiveJson, json)
            && (spec.LiveBody.Count == 0 || spec.LiveBody.Any(b => answer.Body.Contains(b, StringComparison.Ordinal))))
        {
            return Result(ValidationStatus.Live, http) with
            {
                Identity = [.. spec.Identity
                    .Select(fact => (fact.Key, Value: Fact(fact.Value, answer, json)))
                    .Where(fact => fact.Value is { Length: > 0 })
                    .Select(fact => KeyValuePair.Create(fact.Key, Bounded(fact.Value!)))],
                Scopes = Scopes(spec, answer, json),
            };
        }
        if (spec.Invalid.Contains(status) && Holds(spec.InvalidJson, json)
            && (spec.InvalidBody.Count == 0 || spec.InvalidBody.Any(b => answer.Body.Contains(b, StringComparison.Ordinal))))
        {
            return Result(ValidationStatus.Invalid, http);
        }
        if (answer.RateLimited)
        {
            return Result(ValidationStatus.Unknown, answer.RetryAfter is { } wait
                ? $"{http}: rate-limited, retry after {wait.TotalSeconds:0} s"
                : $"{http}: rate-limited");
        }
        return answer.ServerError
            ? Result(ValidationStatus.Error, $"{http} after {_limits.MaxRetries} retries")
            : Result(ValidationStatus.Unknown, $"{http}: not an answer this validator knows");
    }

    /// <summary>Whether the JSON answer has, at each path, one of the values listed for it.</summary>
    private static bool Holds(IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> conditions, JsonDocument? json) =>
        conditions.Count == 0 || (json is not null && conditions.All(c => JsonPath.Text(json.RootElement, c.Key) is { } value && c.Value.Contains(value)));

    /// <summary>An identity fact: <c>header:NAME</c> reads a response header, anything else a JSON path.</summary>
    private static string? Fact(string source, ProviderAnswer answer, JsonDocument? json) =>
        source.StartsWith("header:", StringComparison.Ordinal)
            ? answer.Headers.GetValueOrDefault(source["header:".Length..])
            : json is null ? null : JsonPath.Text(json.RootElement, source);

    private static IReadOnlyList<string> Scopes(ValidatorSpec spec, ProviderAnswer answer, JsonDocument? json)
    {
        string? text = spec.ScopesHeader is { } header && answer.Headers.TryGetValue(header, out var value) ? value
            : spec.Scopes is { } path && json is not null ? JsonPath.Text(json.RootElement, path)
            : null;
        return text is null ? [] : [.. text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(100).Select(Bounded)];
    }

    private static JsonDocument? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Identity values come from the provider: bounded like any other input.</summary>
    private static string Bounded(string value) => value.Length > 200 ? value[..200] + "…" : value;

    private static string Without(string message, string secret) =>
        secret.Length == 0 ? message : message.Replace(secret, "[secret]", StringComparison.Ordinal).Replace(UrlEscaped(secret), "[secret]", StringComparison.Ordinal);

    private ValidationResult Result(ValidationStatus status, string message) =>
        new() { Status = status, CheckedAt = _time.GetUtcNow(), Message = message };
}
