using System.Text.Json;
using LeakGuard.Cli.Tests;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary><c>leakguard scan --validate</c> as a user runs it, against local HTTPS providers that
/// the test-only variables point it to: what is sent where, and what the reports say.</summary>
public sealed class ScanValidateTests : IAsyncLifetime
{
    private const string LiveGitHub = "ghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D";
    private const string RevokedGitHub = "ghp_zw0NSLncSZqX1fVqalRrrdSyJOujvSFFqmRb";
    private const string Slack = "xoxb-642555034910-7549121035034-t0Azn0DNRUQxA71p2Td8VKqx";
    // No validator: a webhook signing secret has no endpoint to ask.
    private const string StripeWebhook = "whsec_q60sskDI1EDL0Y6wu1JOSNta0PKhe37a";

    private FakeProviders _fake = null!;
    private Dictionary<string, string> _environment = null!;
    private readonly string _dir = CliRunner.TempDirectory();

    public async Task InitializeAsync()
    {
        _fake = await FakeProviders.StartAsync();
        _environment = await _fake.ProcessEnvironmentAsync();
        _fake.Route("/user", (request, _) => request.Header("Authorization") == $"Bearer {LiveGitHub}"
            ? FakeProviders.WithHeader(Results.Json(new { login = "octocat", id = 583231 }), "X-OAuth-Scopes", "repo, gist")
            : Results.Json(new { message = "Bad credentials" }, statusCode: 401));
        _fake.Route("/api/auth.test", (request, _) => request.Header("Authorization") == $"Bearer {Slack}"
            ? Results.Text("""{"ok":true,"team":"Acme","user":"deploy-bot","team_id":"T0ACME","user_id":"U0BOT"}""", "application/json")
            : Results.Text("""{"ok":false,"error":"invalid_auth"}""", "application/json"));
        await File.WriteAllTextAsync(Path.Join(_dir, ".env"), $"""
            GITHUB_TOKEN={LiveGitHub}
            OLD_GITHUB_TOKEN={RevokedGitHub}
            SLACK_BOT_TOKEN={Slack}
            STRIPE_WEBHOOK_SECRET={StripeWebhook}
            """);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private JsonElement[] Findings(params string[] extra)
    {
        var run = CliRunner.RunWithEnvironment(_environment, ["scan", _dir, "--format", "json", "--no-progress", .. extra]);
        Assert.True(run.ExitCode == 1, run.Stderr);
        return [.. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray()];
    }

    private static JsonElement ByRuleAndEnd(JsonElement[] findings, string ruleId, string end) =>
        Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == ruleId && f.GetProperty("secret").GetString()!.EndsWith(end, StringComparison.Ordinal));

    [Fact]
    public void Without_validate_no_request_is_made_and_no_finding_says_otherwise()
    {
        var findings = Findings();
        Assert.Empty(_fake.Requests);
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.False(f.TryGetProperty("validation", out _)));
    }

    [Fact]
    public void Validate_puts_each_answer_on_its_finding()
    {
        var findings = Findings("--validate");
        var live = ByRuleAndEnd(findings, "github.pat", LiveGitHub[^4..]).GetProperty("validation");
        Assert.Equal("live", live.GetProperty("status").GetString());
        Assert.Equal("octocat", live.GetProperty("identity").GetProperty("login").GetString());
        Assert.Equal(["repo", "gist"], live.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True(DateTimeOffset.UtcNow - live.GetProperty("checkedAt").GetDateTimeOffset() < TimeSpan.FromHours(1));

        var revoked = ByRuleAndEnd(findings, "github.pat", RevokedGitHub[^4..]);
        Assert.Equal("invalid", revoked.GetProperty("validation").GetProperty("status").GetString());
        Assert.Equal("low", revoked.GetProperty("confidence").GetString());

        var slack = ByRuleAndEnd(findings, "slack.bot-token", Slack[^4..]);
        Assert.Equal("live", slack.GetProperty("validation").GetProperty("status").GetString());
        Assert.Equal("Acme", slack.GetProperty("validation").GetProperty("identity").GetProperty("team").GetString());
        // Live raises a high-severity rule to at least high and its confidence to high.
        Assert.Equal(("high", "high"), (slack.GetProperty("severity").GetString(), slack.GetProperty("confidence").GetString()));

        var webhook = ByRuleAndEnd(findings, "stripe.webhook-secret", StripeWebhook[^4..]);
        Assert.False(webhook.TryGetProperty("validation", out _));
    }

    [Fact]
    public void Each_secret_goes_only_to_its_own_validator_and_only_once()
    {
        Findings("--validate");
        var requests = _fake.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests.Where(r => r.Everything.Contains(LiveGitHub) || r.Everything.Contains(RevokedGitHub)),
            r => Assert.Equal("/user", r.PathAndQuery));
        Assert.Equal("/api/auth.test", Assert.Single(requests, r => r.Everything.Contains(Slack)).PathAndQuery);
        Assert.DoesNotContain(requests, r => r.Everything.Contains(StripeWebhook));
        Assert.Equal(2, requests.Count(r => r.PathAndQuery == "/user"));
    }

    [Fact]
    public void Only_live_reports_only_what_the_provider_accepted()
    {
        var findings = Findings("--validate", "--only-live");
        Assert.Equal(2, findings.Length);
        Assert.All(findings, f => Assert.Equal("live", f.GetProperty("validation").GetProperty("status").GetString()));
    }

    [Fact]
    public void Only_live_without_validate_is_refused()
    {
        var run = CliRunner.RunWithEnvironment(_environment, "scan", _dir, "--only-live", "--no-progress");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--only-live needs --validate", run.Stderr);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public void Text_html_and_sarif_reports_carry_the_validation()
    {
        var text = CliRunner.RunWithEnvironment(_environment, "scan", _dir, "--validate", "--no-progress");
        Assert.Contains("validation=live login=octocat id=583231 scopes=repo,gist", text.Stdout);
        Assert.Contains("validation=invalid (HTTP 401)", text.Stdout);
        Assert.Contains("note: validated 3 secrets: 2 live, 1 invalid", text.Stdout);
        Assert.DoesNotContain(LiveGitHub, text.Stdout + text.Stderr);

        string html = Path.Join(CliRunner.TempDirectory(), "out.html");
        CliRunner.RunWithEnvironment(_environment, "scan", _dir, "--validate", "--format", "html", "--output", html, "--no-progress");
        Assert.Contains("<span class=\"muted\">validation</span> <code>live user=deploy-bot user_id=U0BOT team=Acme team_id=T0ACME</code>", File.ReadAllText(html));

        string sarif = Path.Join(CliRunner.TempDirectory(), "out.sarif");
        CliRunner.RunWithEnvironment(_environment, "scan", _dir, "--validate", "--format", "sarif", "--output", sarif, "--no-progress");
        var results = JsonDocument.Parse(File.ReadAllText(sarif)).RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray();
        Assert.Contains(results, r => r.GetProperty("properties").TryGetProperty("validation", out var v)
            && v.GetProperty("status").GetString() == "live" && v.GetProperty("identity").TryGetProperty("team", out var team) && team.GetString() == "Acme");
    }
}
