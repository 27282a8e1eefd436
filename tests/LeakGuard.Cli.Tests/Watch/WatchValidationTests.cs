using System.Text.Json;
using LeakGuard.Cli.Tests.Git;
using LeakGuard.Core.Findings;
using LeakGuard.Storage;
using LeakGuard.Tests.Git;
using LeakGuard.Validation;
using LeakGuard.Validation.Tests;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// <c>validate: true</c> on a watched target: a real <c>git daemon</c>, the worker as its own
/// process, and the provider as a local HTTPS fake that the test-only settings point it to. Only
/// the target that opted in has its secrets sent; the answers reach the alerts and the store.
/// </summary>
public sealed class WatchValidationTests : IAsyncLifetime
{
    // A rule of its own, with a validator shaped like GitHub's: GET /user with the token.
    private const string Rule = """
        rules:
          - id: test.validated
            name: Validated token
            kind: secret
            severity: medium
            confidence: medium
            pattern: '\b(ghv_[A-Za-z0-9]{36})\b'
            keywords: [ghv_]
            validate:
              url: https://api.github.com/user
              headers: {Authorization: 'Bearer {{secret}}'}
              invalid: [401]
              identity: {login: login}
            examples: ['ghv_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK']
            negative_examples: ['ghv_short']
        """;
    private const string Live = "ghv_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D";
    private const string Revoked = "ghv_zw0NSLncSZqX1fVqalRrrdSyJOujvSFFqmRb";
    private const string NotOptedIn = "ghv_Ab8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iQ";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly int _apiPort = WebhookReceiver.FreePort();
    private readonly GitDaemon _daemon = new();
    private readonly WebhookReceiver _receiver = new();
    private FakeProviders _fake = null!;
    private WatchProcess? _worker;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviders.StartAsync();
        _fake.Route("/user", (request, _) => request.Header("Authorization") == $"Bearer {Live}"
            ? Results.Json(new { login = "octocat", id = 583231 })
            : Results.Json(new { message = "Bad credentials" }, statusCode: 401));
    }

    public async Task DisposeAsync()
    {
        _worker?.Dispose();
        _receiver.Dispose();
        _daemon.Dispose();
        await _fake.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Repository(string name, string text)
    {
        string url = _daemon.CreateRepository(name);
        var work = new TestRepository(Path.Join(_dir, name));
        work.Write("config.env", text).Commit("config");
        work.Git("push", "-q", url, "main");
        return url;
    }

    [Fact]
    public async Task A_target_that_opts_in_has_its_secrets_validated_and_the_answers_reach_alerts_and_store_others_send_nothing()
    {
        string validated = Repository("validated.git", $"TOKEN={Live}\nOLD_TOKEN={Revoked}\n");
        string plain = Repository("plain.git", $"TOKEN={NotOptedIn}\n");
        string store = $"sqlite:{Path.Join(_dir, "leakguard.db")}";
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: {store}
            targets:
              - git: {validated}
                every: 1s
                validate: true
              - git: {plain}
                every: 1s
            alerts:
              - webhook: {_receiver.Url}
            api:
              listen: 127.0.0.1:{_apiPort}
            """);
        string rules = Path.Join(_dir, "validated-rules.yaml");
        File.WriteAllText(rules, Rule);
        var environment = new Dictionary<string, string>
        {
            [ValidationEndpoints.EndpointVariable] = _fake.Origin.ToString(),
            [ValidationEndpoints.CertificateVariable] = await _fake.CertificatePemFileAsync(),
        };
        var worker = _worker = new WatchProcess(config, _dir, environment, jsonLogs: false, "--rules", rules);

        Eventually.True(() => _receiver.Bodies.Count >= 3, TimeSpan.FromSeconds(60), () => $"not three alerts; log:\n{worker.Log}");
        var alerts = _receiver.Bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("finding").Clone()).ToList();
        JsonElement Alert(string end) => Assert.Single(alerts, a => a.GetProperty("secret").GetString()!.EndsWith(end[^4..], StringComparison.Ordinal));

        var live = Alert(Live).GetProperty("validation");
        Assert.Equal("live", live.GetProperty("status").GetString());
        Assert.Equal("octocat", live.GetProperty("identity").GetProperty("login").GetString());
        // Live raises confidence to high and severity to at least high.
        Assert.Equal(("high", "high"), (Alert(Live).GetProperty("confidence").GetString(), Alert(Live).GetProperty("severity").GetString()));
        Assert.Equal("invalid", Alert(Revoked).GetProperty("validation").GetProperty("status").GetString());
        Assert.False(Alert(NotOptedIn).TryGetProperty("validation", out var none) && none.ValueKind != JsonValueKind.Null);

        // Only the opted-in target's two secrets went out, each to the validator's endpoint.
        Assert.Equal(2, _fake.Requests.Count);
        Assert.All(_fake.Requests, r => Assert.Equal("GET /user", $"{r.Method} {r.PathAndQuery}"));
        Assert.DoesNotContain(_fake.Requests, r => r.Everything.Contains(NotOptedIn, StringComparison.Ordinal));
        Assert.Contains("validated 2 secrets: 1 live, 1 invalid", worker.Log);

        await using var opened = await StoreFactory.OpenAsync(store);
        var stored = await opened.QueryFindingsAsync(new FindingQuery { Target = $"git:{validated}" });
        Assert.Equal([ValidationStatus.Live, ValidationStatus.Invalid], stored.Select(f => f.Finding.Validation!.Status).Order());
    }
}
