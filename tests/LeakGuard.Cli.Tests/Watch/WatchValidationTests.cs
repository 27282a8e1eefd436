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
    // Twilio-shaped: the auth token is validated with the Account SID of the same file (HTTP Basic).
    private const string PairedRules = """
        rules:
          - id: test.account-sid
            name: Account SID
            kind: secret
            severity: info
            tags: [companion]
            pattern: 'ACCOUNT_SID=(AC[0-9a-f]{32})\b'
            keywords: [account_sid]
            examples: ['ACCOUNT_SID=AC5fc467fe93e81dd58a0c1f9a51bb5d9f']
            negative_examples: ['ACCOUNT_SID=AC5fc4']
          - id: test.auth-token
            name: Auth token
            kind: secret
            severity: high
            pattern: 'AUTH_TOKEN=([0-9a-f]{32})\b'
            keywords: [auth_token]
            validate:
              pair: test.account-sid
              url: https://api.twilio.com/2010-04-01/Accounts/{{pair}}.json
              basic: '{{pair}}:{{secret}}'
              identity: {account: sid}
            examples: ['AUTH_TOKEN=697f0603577aa6c55e0d19d3572186e5']
            negative_examples: ['AUTH_TOKEN=697f']
        """;
    private const string Live = "ghv_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D";
    private const string Revoked = "ghv_zw0NSLncSZqX1fVqalRrrdSyJOujvSFFqmRb";
    private const string NotOptedIn = "ghv_Ab8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iQ";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly int _apiPort = WebhookReceiver.FreePort();
    private readonly GitDaemon _daemon = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _liveTokens = new(StringComparer.Ordinal);
    private FakeProviders _fake = null!;
    private WatchProcess? _worker;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviders.StartAsync();
        _liveTokens[Live] = true;
        _fake.Route("/user", (request, _) => _liveTokens.Keys.Any(t => request.Header("Authorization") == $"Bearer {t}")
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
        var worker = _worker = Start($"""
              - git: {validated}
                every: 1s
                validate: true
              - git: {plain}
                every: 1s
            """, await _fake.ProcessEnvironmentAsync());

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
        // Logged before the alerts went out, but read from the worker's output on another thread.
        worker.WaitForLog("validated 2 secrets: 1 live, 1 invalid", TimeSpan.FromSeconds(10));
        // Without a seal key nothing is kept for asking again, and the worker says so.
        worker.WaitForLog($"not again later: set {SecretSeal.KeyVariable}", TimeSpan.FromSeconds(10));

        await using var opened = await StoreFactory.OpenAsync(Store);
        var stored = await opened.QueryFindingsAsync(new FindingQuery { Target = $"git:{validated}" });
        Assert.Equal([ValidationStatus.Live, ValidationStatus.Invalid], stored.Select(f => f.Finding.Validation!.Status).Order());
    }

    [Fact]
    public async Task Findings_are_validated_again_on_schedule_a_revoked_credential_is_recorded_and_one_that_works_again_alerts_once()
    {
        string url = Repository("rotating.git", $"TOKEN={Live}\nOLD_TOKEN={Revoked}\n");
        const string Targets = """
              - git: {0}
                every: 1s
                validate: true
                revalidate: 1s
            """;
        var environment = await _fake.ProcessEnvironmentAsync();
        environment[SecretSeal.KeyVariable] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var worker = _worker = Start(string.Format(System.Globalization.CultureInfo.InvariantCulture, Targets, url), environment);
        Eventually.True(() => _receiver.Bodies.Count >= 2, TimeSpan.FromSeconds(60), () => $"not two alerts; log:\n{worker.Log}");
        // Asked again on schedule: the fake has seen each token more than once.
        Eventually.True(() => _fake.Requests.Count >= 4, TimeSpan.FromSeconds(60), () => $"not validated again; log:\n{worker.Log}");

        // The store keeps the secrets sealed, never in clear.
        string database = Path.Join(_dir, "leakguard.db");
        await using (var opened = await StoreFactory.OpenAsync(Store))
        {
            Assert.All(await opened.QueryFindingsAsync(new FindingQuery()), f => Assert.DoesNotContain("E3co3cbFG4Z1", f.Finding.Secret!, StringComparison.Ordinal));
        }
        foreach (string file in new[] { database, database + "-wal" }.Where(File.Exists))
        {
            Assert.DoesNotContain(Live[4..20], File.ReadAllText(file, System.Text.Encoding.Latin1), StringComparison.Ordinal);
        }
        Assert.Contains(await SealedSecretsAsync(database), s => s.StartsWith("v1:", StringComparison.Ordinal));

        // The live one is rotated, the refused one works again.
        _liveTokens.Clear();
        _liveTokens[Revoked] = true;
        Eventually.True(() => worker.Log.Contains("works again (refused before)", StringComparison.Ordinal)
            && worker.Log.Contains("revoked (live before", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => $"no change seen; log:\n{worker.Log}");
        Eventually.True(() => _receiver.Bodies.Count >= 3, TimeSpan.FromSeconds(60), () => $"no third alert; log:\n{worker.Log}");
        PollEvidence.WaitForPollAndDelivery(worker, _apiPort, Store, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60));
        // More polls, each asking again: still live, so no further alert.
        Eventually.True(() => _fake.Requests.Count >= 10, TimeSpan.FromSeconds(60), () => $"not asked again; log:\n{worker.Log}");
        Assert.Equal(3, _receiver.Bodies.Count);

        var again = JsonDocument.Parse(_receiver.Bodies.Last()).RootElement;
        Assert.Equal("finding.live-again", again.GetProperty("event").GetString());
        Assert.EndsWith(Revoked[^4..], again.GetProperty("finding").GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal("live", again.GetProperty("finding").GetProperty("validation").GetProperty("status").GetString());

        await using var reopened = await StoreFactory.OpenAsync(Store);
        var findings = await reopened.QueryFindingsAsync(new FindingQuery());
        var rotated = Assert.Single(findings, f => f.Finding.Secret!.EndsWith(Live[^4..], StringComparison.Ordinal));
        var history = await reopened.GetFindingHistoryAsync(rotated.Id);
        Assert.Equal(["found", "validation:live", "validation:revoked"],
            history.Select(h => h.Kind == FindingEventKind.Validation ? $"validation:{h.Validation}" : h.Kind.ToString().ToLowerInvariant()));
        var returned = Assert.Single(findings, f => f.Finding.Secret!.EndsWith(Revoked[^4..], StringComparison.Ordinal));
        Assert.Equal(["validation:invalid", "validation:live"],
            (await reopened.GetFindingHistoryAsync(returned.Id)).Where(h => h.Kind == FindingEventKind.Validation).Select(h => $"validation:{h.Validation}"));

        // A worker with another seal key cannot open them: it says so, and they do not stay first in line.
        worker.Kill();
        int asked = _fake.Requests.Count;
        environment[SecretSeal.KeyVariable] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        worker = _worker = Start(string.Format(System.Globalization.CultureInfo.InvariantCulture, Targets, url), environment);
        worker.WaitForLog("2 stored findings could not be validated again", TimeSpan.FromSeconds(60));
        Assert.Equal(asked, _fake.Requests.Count);
        // "Not asked" is no answer: the definite ones stand.
        Assert.Equal([ValidationStatus.Live, ValidationStatus.Invalid],
            (await reopened.QueryFindingsAsync(new FindingQuery())).Select(f => f.Finding.Validation!.Status).Order());
    }

    [Fact]
    public async Task A_credential_validated_with_a_value_from_its_file_is_asked_again_with_that_value()
    {
        const string Sid = "AC5fc467fe93e81dd58a0c1f9a51bb5d9f";
        const string AuthToken = "697f0603577aa6c55e0d19d3572186e5";
        string basic = $"Basic {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Sid}:{AuthToken}"))}";
        bool accepted = true;
        _fake.Route($"/2010-04-01/Accounts/{Sid}.json", (request, _) => accepted && request.Header("Authorization") == basic
            ? Results.Json(new { sid = Sid, friendly_name = "Acme", status = "active" })
            : Results.Json(new { code = 20003, message = "Authenticate" }, statusCode: 401));
        string url = Repository("paired.git", $"ACCOUNT_SID={Sid}\nAUTH_TOKEN={AuthToken}\n");
        var environment = await _fake.ProcessEnvironmentAsync();
        environment[SecretSeal.KeyVariable] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var worker = _worker = Start($"""
              - git: {url}
                every: 1s
                validate: true
                revalidate: 1s
            """, environment);
        int Asked() => _fake.Requests.Count(r => r.PathAndQuery == $"/2010-04-01/Accounts/{Sid}.json" && r.Header("Authorization") == basic);

        // Asked when found, then again on schedule, each time with the SID the scan found beside it.
        Eventually.True(() => Asked() >= 3, TimeSpan.FromSeconds(60), () => $"not asked again with its pair; log:\n{worker.Log}");
        var sealedSecrets = await SealedSecretsAsync(Path.Join(_dir, "leakguard.db"));
        string sealedText = Assert.Single(sealedSecrets);
        Assert.StartsWith("v2:", sealedText, StringComparison.Ordinal);
        Assert.DoesNotContain(Sid[2..14], sealedText, StringComparison.Ordinal);

        // The token is rotated: the next answer records it revoked.
        accepted = false;
        worker.WaitForLog("revoked (live before", TimeSpan.FromSeconds(60));
        await using var opened = await StoreFactory.OpenAsync(Store);
        var token = Assert.Single(await opened.QueryFindingsAsync(new FindingQuery()));
        Assert.Equal("test.auth-token", token.Finding.RuleId);
        Assert.Equal(["validation:live", "validation:revoked"], (await opened.GetFindingHistoryAsync(token.Id))
            .Where(h => h.Kind == FindingEventKind.Validation).Select(h => $"validation:{h.Validation}"));
    }

    private string Store => $"sqlite:{Path.Join(_dir, "leakguard.db")}";

    /// <summary>Writes the configuration with <paramref name="targets"/> (YAML list items) and the
    /// validated rule, and starts a worker with <paramref name="environment"/>.</summary>
    private WatchProcess Start(string targets, Dictionary<string, string> environment)
    {
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: {Store}
            targets:
            {targets}
            alerts:
              - webhook: {_receiver.Url}
            api:
              listen: 127.0.0.1:{_apiPort}
            """);
        string rules = Path.Join(_dir, "validated-rules.yaml");
        File.WriteAllText(rules, Rule);
        string paired = Path.Join(_dir, "paired-rules.yaml");
        File.WriteAllText(paired, PairedRules);
        return new WatchProcess(config, _dir, environment, jsonLogs: false, "--rules", rules, "--rules", paired);
    }

    /// <summary>What the store's sealed_secret column holds, read with SQLite directly.</summary>
    private static async Task<List<string>> SealedSecretsAsync(string database)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sealed_secret FROM findings WHERE sealed_secret IS NOT NULL";
        await using var reader = await command.ExecuteReaderAsync();
        var sealedSecrets = new List<string>();
        while (await reader.ReadAsync())
        {
            sealedSecrets.Add(reader.GetString(0));
        }
        return sealedSecrets;
    }
}
