using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary>One validator against a local HTTPS provider: each documented kind of answer (live,
/// invalid, 429 with Retry-After, 5xx, slow, a redirect) ends as the status it means.</summary>
public sealed class HttpValidatorTests : IAsyncLifetime
{
    private const string Secret = "ghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D";
    private FakeProviders _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeProviders.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static readonly ValidationLimits Fast = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(2), RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 2, MaxRetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <summary>A rule with <paramref name="validate"/> as its validate block, read as rule files are.</summary>
    internal static ValidatorSpec Spec(string validate) => RuleLoader.Parse($$"""
        rules:
          - id: test.token
            name: Test token
            kind: secret
            severity: medium
            pattern: '\b(ghp_[A-Za-z0-9]{36})\b'
            keywords: [ghp_]
            validate:
        {{string.Join('\n', validate.Split('\n').Select(l => "      " + l))}}
            examples: ['ghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D']
            negative_examples: ['ghp_short']
        """, "test.yaml")[0].Validator!;

    private static readonly ValidatorSpec GitHub = Spec("""
        url: https://api.github.com/user
        headers: {Authorization: 'Bearer {{secret}}'}
        invalid: [401]
        identity: {login: login, id: id}
        scopes_header: X-OAuth-Scopes
        """);

    private async Task<ValidationResult> Validate(ValidatorSpec spec, string secret = Secret, ValidationLimits? limits = null)
    {
        using var client = HttpValidator.CreateClient(_fake.Endpoints);
        return await new HttpValidator(client, _fake.Endpoints, limits ?? Fast).ValidateAsync(spec, secret, CancellationToken.None);
    }

    private void GitHubUser() => _fake.Route("/user", (request, _) => request.Header("Authorization") == $"Bearer {Secret}"
        ? FakeProviders.WithHeader(Results.Json(new { login = "octocat", id = 583231, type = "User" }), "X-OAuth-Scopes", "repo, read:org")
        : Results.Json(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" }, statusCode: 401));

    [Fact]
    public async Task A_live_token_reports_whose_it_is_and_its_scopes()
    {
        GitHubUser();
        var result = await Validate(GitHub);
        Assert.Equal(ValidationStatus.Live, result.Status);
        Assert.Equal([KeyValuePair.Create("login", "octocat"), KeyValuePair.Create("id", "583231")], result.Identity);
        Assert.Equal(["repo", "read:org"], result.Scopes);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("GET", "/user"), (request.Method, request.PathAndQuery));
    }

    /// <summary>A provider with sites (Datadog's regions): each site's endpoint, here told apart by its path.</summary>
    private static readonly ValidatorSpec Regional = Spec("""
        url: https://api.example.com/us/validate
        sites: ['https://api.example.eu/eu/validate', 'https://api.ap.example.com/ap/validate']
        headers: {Authorization: 'Bearer {{secret}}'}
        live_json: {valid: [true]}
        invalid: [403]
        """);

    private void Site(string path, bool holdsTheKey, int? status = null) => _fake.Route(path, (_, _) => status is { } code
        ? Microsoft.AspNetCore.Http.Results.StatusCode(code)
        : holdsTheKey ? Microsoft.AspNetCore.Http.Results.Json(new { valid = true }) : Microsoft.AspNetCore.Http.Results.Json(new { errors = new[] { "Forbidden" } }, statusCode: 403));

    [Fact]
    public async Task A_key_of_another_site_is_live_there_and_invalid_only_when_every_site_refuses_it()
    {
        Site("/us/validate", holdsTheKey: false);
        Site("/eu/validate", holdsTheKey: true);
        Site("/ap/validate", holdsTheKey: false);
        var live = await Validate(Regional);
        Assert.Equal("live site=api.example.eu", live.Describe());
        Assert.Equal(["/us/validate", "/eu/validate"], _fake.Requests.Select(r => r.PathAndQuery));

        Site("/eu/validate", holdsTheKey: false);
        var refused = await Validate(Regional);
        Assert.Equal(ValidationStatus.Invalid, refused.Status);
        Assert.Equal(2 + 3, _fake.Requests.Count);
    }

    [Fact]
    public async Task A_site_that_gives_no_answer_leaves_a_refused_key_in_doubt()
    {
        Site("/us/validate", holdsTheKey: false);
        Site("/eu/validate", holdsTheKey: false, status: 503);
        Site("/ap/validate", holdsTheKey: false);
        var result = await Validate(Regional, limits: Fast with { MaxRetries = 1 });
        Assert.Equal(ValidationStatus.Error, result.Status);
    }

    [Fact]
    public async Task A_refused_token_is_invalid()
    {
        GitHubUser();
        var result = await Validate(GitHub, "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK");
        Assert.Equal(ValidationStatus.Invalid, result.Status);
        Assert.Empty(result.Identity);
        Assert.Equal("HTTP 401", result.Message);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_time_Retry_After_asks()
    {
        _fake.Route("/user", (_, before) => before == 0
            ? FakeProviders.WithHeader(Results.StatusCode(429), "Retry-After", "1")
            : Results.Json(new { login = "octocat", id = 1 }));
        var result = await Validate(GitHub);
        Assert.Equal(ValidationStatus.Live, result.Status);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_the_bound_is_unknown_without_waiting()
    {
        _fake.Route("/user", (_, _) => FakeProviders.WithHeader(Results.StatusCode(429), "Retry-After", "3600"));
        var result = await Validate(GitHub);
        Assert.Equal(ValidationStatus.Unknown, result.Status);
        Assert.Contains("rate-limited, retry after 3600 s", result.Message);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_server_error_is_retried_then_an_error()
    {
        _fake.Route("/user", (_, _) => Results.StatusCode(503));
        var result = await Validate(GitHub);
        Assert.Equal(ValidationStatus.Error, result.Status);
        Assert.Equal(1 + Fast.MaxRetries, _fake.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_that_recovers_gives_its_answer()
    {
        _fake.Route("/user", (_, before) => before == 0 ? Results.StatusCode(502) : Results.Json(new { login = "octocat", id = 1 }, statusCode: 401));
        Assert.Equal(ValidationStatus.Invalid, (await Validate(GitHub)).Status);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_an_error()
    {
        _fake.Route("/user", (_, _) => new Slow(TimeSpan.FromSeconds(30)));
        // Two seconds, not less: on a loaded CI machine the TLS handshake alone has taken longer
        // than 0.3 s, so the request never reached the fake and there was nothing to count.
        var result = await Validate(GitHub, limits: Fast with { AttemptTimeout = TimeSpan.FromSeconds(2) });
        Assert.Equal(ValidationStatus.Error, result.Status);
        Assert.Equal("no answer within 2 s", result.Message);
        // A provider that hangs is asked once: waiting again would only double the cost.
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_secret_goes_nowhere_else()
    {
        _fake.Route("/user", (_, _) => Results.Redirect($"{_fake.Origin}elsewhere?token={Secret}"));
        _fake.Route("/elsewhere", (_, _) => Results.Json(new { login = "thief" }));
        var result = await Validate(GitHub);
        Assert.Equal(ValidationStatus.Unknown, result.Status);
        Assert.Equal("HTTP 302: not an answer this validator knows", result.Message);
        Assert.Equal("/user", Assert.Single(_fake.Requests).PathAndQuery);
    }

    [Fact]
    public async Task A_body_condition_tells_live_from_invalid_when_the_status_does_not()
    {
        // Slack's auth.test answers 200 either way; "ok" says which.
        var slack = Spec("""
            method: POST
            url: https://slack.com/api/auth.test
            headers: {Authorization: 'Bearer {{secret}}'}
            live_json: {ok: [true]}
            invalid: [200]
            invalid_json: {error: [invalid_auth, token_revoked]}
            identity: {team: team, user: user}
            """);
        _fake.Route("/api/auth.test", (request, _) => request.Header("Authorization") == $"Bearer {Secret}"
            ? Results.Text("""{"ok": true, "url": "https://acme.slack.com/", "team": "Acme", "user": "ci-bot", "team_id": "T0001", "user_id": "U0001"}""", "application/json")
            : Results.Text("""{"ok": false, "error": "invalid_auth"}""", "application/json"));
        var live = await Validate(slack);
        Assert.Equal(ValidationStatus.Live, live.Status);
        Assert.Equal("live team=Acme user=ci-bot", live.Describe());
        Assert.Equal(ValidationStatus.Invalid, (await Validate(slack, "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK")).Status);
        Assert.All(_fake.Requests, r => Assert.Equal("POST", r.Method));
    }

    [Fact]
    public async Task A_secret_in_the_path_is_percent_encoded_and_never_in_a_message()
    {
        var telegram = Spec("""
            url: https://api.telegram.org/bot{{secret}}/getMe
            live_json: {ok: [true]}
            invalid: [401, 404]
            identity: {username: result.username}
            """);
        const string token = "ghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D/../x";
        _fake.Route("/botghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D%2F..%2Fx/getMe", (_, _) => Results.StatusCode(418));
        var result = await Validate(telegram, token);
        Assert.Equal(ValidationStatus.Unknown, result.Status);
        Assert.Equal("/botghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D%2F..%2Fx/getMe", Assert.Single(_fake.Requests).PathAndQuery);
        Assert.DoesNotContain("ghp_", result.Message);
    }

    [Fact]
    public async Task A_connection_refused_is_an_error_that_does_not_name_the_secret()
    {
        // The secret is in the path; the port has nothing listening.
        var endpoints = new ValidationEndpoints { Override = new Uri("https://127.0.0.1:1"), TrustedCertificate = _fake.Certificate };
        using var client = HttpValidator.CreateClient(endpoints);
        var result = await new HttpValidator(client, endpoints, Fast).ValidateAsync(
            Spec("url: https://api.telegram.org/bot{{secret}}/getMe"), Secret, CancellationToken.None);
        Assert.Equal(ValidationStatus.Error, result.Status);
        Assert.DoesNotContain(Secret, result.Message);
    }

    /// <summary>A webhook whose URL is the secret (Slack's): asked at its own path, on the rule's host.</summary>
    private static readonly ValidatorSpec Webhook = Spec("""
        secret_is_url: true
        method: POST
        url: https://hooks.example.com/services/
        body: '{'
        content_type: application/json
        live: [400]
        live_body: [invalid_payload]
        invalid: [403, 404]
        invalid_body: [invalid_token, no_service]
        """);

    [Theory]
    [InlineData(400, "invalid_payload", ValidationStatus.Live)]
    [InlineData(404, "no_service", ValidationStatus.Invalid)]
    [InlineData(403, "invalid_token", ValidationStatus.Invalid)]
    [InlineData(400, "user_not_found", ValidationStatus.Unknown)]
    [InlineData(403, "action_prohibited", ValidationStatus.Unknown)]
    public async Task A_webhook_URL_is_asked_at_itself_and_read_by_the_text_of_its_answer(int status, string body, ValidationStatus expected)
    {
        _fake.Route("/services/T0ACME123/B0HOOK456/q8vJ2mT4kLp9Xw1cR7nB3dF6", (_, _) => Results.Text(body, "text/plain", statusCode: status));
        var result = await Validate(Webhook, "https://hooks.example.com/services/T0ACME123/B0HOOK456/q8vJ2mT4kLp9Xw1cR7nB3dF6");
        Assert.Equal(expected, result.Status);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("POST", "{"), (request.Method, request.Body));
        Assert.DoesNotContain("q8vJ2mT4", result.Message);
    }

    [Theory]
    [InlineData("https://hooks.example.com/triggers/T0ACME123/4242424242/q8vJ2mT4kLp9Xw1cR7nB3dF6")]
    [InlineData("https://hooks.example.com.evil.example/services/T0ACME123/B0HOOK456/q8vJ2mT4kLp9Xw1cR7nB3dF6")]
    [InlineData("https://hooks.example.com:8443/services/T0ACME123/B0HOOK456/q8vJ2mT4kLp9Xw1cR7nB3dF6")]
    [InlineData("https://hooks.example.com/services/../triggers/T0ACME123/4242424242/q8vJ2mT4kLp9Xw1cR7nB3dF6")]
    [InlineData("https://hooks.example.com/services/T0ACME123/B0HOOK456/q8vJ2mT4kLp9Xw1cR7nB3dF6#x")]
    [InlineData("http://hooks.example.com/services/T0ACME123/B0HOOK456/q8vJ2mT4kLp9Xw1cR7nB3dF6")]
    public async Task A_secret_URL_that_is_not_under_the_rule_s_endpoint_is_not_sent(string secret)
    {
        var result = await Validate(Webhook, secret);
        Assert.Equal(ValidationStatus.Unknown, result.Status);
        Assert.StartsWith("not a URL under https://hooks.example.com/services/", result.Message);
        Assert.Empty(_fake.Requests);
    }

    /// <summary>A token asked at its own shop (Shopify's): the pair is the host, one label under the rule's.</summary>
    private static readonly ValidatorSpec Shop = Spec("""
        host_pair: test.shop
        url: https://shop.example.com/admin/oauth/access_scopes.json
        headers: {X-Access-Token: '{{secret}}'}
        scopes: access_scopes.*.handle
        """);

    [Fact]
    public void The_pair_becomes_the_host_only_as_one_label_under_the_rule_s_host()
    {
        using var client = new HttpClient();
        var validator = new HttpValidator(client, ValidationEndpoints.Providers, Fast);
        using var request = validator.Request(Shop, Secret, host: "Acme-Gear.shop.example.com");
        Assert.Equal("https://acme-gear.shop.example.com/admin/oauth/access_scopes.json", request.RequestUri!.AbsoluteUri);
        Assert.Null(HttpValidator.HostName(Shop, "a.b.shop.example.com"));
        Assert.Null(HttpValidator.HostName(Shop, "evil.example"));
        Assert.Null(HttpValidator.HostName(Shop, "shop.example.com"));
        Assert.Null(HttpValidator.HostName(Shop, "-x.shop.example.com"));
        Assert.Null(HttpValidator.HostName(Shop, "a_b.shop.example.com"));
        Assert.Null(HttpValidator.HostName(Shop, "evilshop.example.com"));
    }

    [Fact]
    public async Task A_shop_token_is_asked_with_its_shop_and_reports_the_scopes()
    {
        _fake.Route("/admin/oauth/access_scopes.json", (request, _) => request.Header("X-Access-Token") == Secret
            ? Results.Text("""{"access_scopes":[{"handle":"read_products"},{"handle":"write_orders"}]}""", "application/json")
            : Results.Text("""{"errors":"[API] Invalid API key or access token"}""", "application/json", statusCode: 401));
        using var client = HttpValidator.CreateClient(_fake.Endpoints);
        var validator = new HttpValidator(client, _fake.Endpoints, Fast);
        var live = await validator.ValidateAsync(Shop, Secret, CancellationToken.None, host: "acme.shop.example.com");
        Assert.Equal("live scopes=read_products,write_orders", live.Describe());
        var other = await validator.ValidateAsync(Shop, Secret, CancellationToken.None, host: "acme.other.example.com");
        Assert.Equal(ValidationStatus.Unknown, other.Status);
        Assert.Single(_fake.Requests);
    }

    /// <summary>An answer that comes too late (ends when the client gives up).</summary>
    private sealed class Slow(TimeSpan delay) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Results.Json(new { login = "late" }).ExecuteAsync(context);
        }
    }
}
