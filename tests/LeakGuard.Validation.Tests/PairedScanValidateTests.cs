using System.Text.Json;
using LeakGuard.Cli.Tests;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary><c>leakguard scan --validate</c> on the credentials whose validators take a second value
/// from the same file (a Docker ID, a Shopify shop, an Atlassian e-mail and site) or are a URL themselves (a Slack webhook):
/// what is sent, and that nothing is sent where it must not be.</summary>
public sealed class PairedScanValidateTests : IAsyncLifetime
{
    private const string DockerPat = "dckr_pat_67SAtqemy5qkDU6SFsTe9GDVhuU";
    private const string ShopifyToken = "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";
    private const string Webhook = "https://hooks.slack.com/services/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";
    private const string Atlassian = "ATATT3xFfGF05vayg3hkzhUxFI39bTAVMnyd_er17Vg8KGuKAUSB6-HGgeL9pOIZPE5WIPS_1l87boY1c-8zhSFLuwD2j5gbbzqm4fBTtXGh6KBF_ZTUeQ8JVloUjf8ZqDVw511PTfqVL3akf-f7iMwnGKgy5ZNabsUCpdnOCquMhh-vr_xdHRe=B775A568";
    private const string Trigger = "https://hooks.slack.com/triggers/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";

    private FakeProviders _fake = null!;
    private Dictionary<string, string> _environment = null!;
    private readonly string _dir = CliRunner.TempDirectory();

    public async Task InitializeAsync()
    {
        _fake = await FakeProviders.StartAsync();
        _environment = await _fake.ProcessEnvironmentAsync();
        _fake.Route("/v2/auth/token", (request, _) => request.Body == $$"""{"identifier":"cibot42","secret":"{{DockerPat}}"}"""
            ? Results.Json(new { access_token = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl" })
            : Results.Json(new { message = "incorrect username or password" }, statusCode: 401));
        _fake.Route("/admin/oauth/access_scopes.json", (request, _) => request.Header("X-Shopify-Access-Token") == ShopifyToken
            ? Results.Json(new { access_scopes = new[] { new { handle = "read_products" } } })
            : Results.Json(new { errors = "[API] Invalid API key or access token" }, statusCode: 401));
        _fake.Route("/rest/api/3/myself", (request, _) => request.Header("Authorization")
                == $"Basic {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"ci-bot@acme.example:{Atlassian}"))}"
            ? Results.Json(new { accountId = "5b10a2844c20165700ede21g", emailAddress = "ci-bot@acme.example", displayName = "CI Bot" })
            : Results.Text("Client must be authenticated to access this resource.", "text/plain", statusCode: 401));
        _fake.Route(new Uri(Webhook).PathAndQuery, (_, _) => Results.Text("invalid_payload", "text/plain", statusCode: 400));
        await File.WriteAllTextAsync(Path.Join(_dir, "deploy.sh"), $"""
            echo {DockerPat} | docker login -u cibot42 --password-stdin
            export SHOP_DOMAIN=acme-outdoor-gear.myshopify.com
            export SHOPIFY_ACCESS_TOKEN={ShopifyToken}
            export SLACK_WEBHOOK_URL={Webhook}
            export SLACK_TRIGGER_URL={Trigger}
            export JIRA_URL=https://acme-eng.atlassian.net
            export JIRA_USER_EMAIL=ci-bot@acme.example
            export JIRA_API_TOKEN={Atlassian}
            """);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Each_is_asked_with_its_pair_and_the_webhook_at_itself_with_no_message()
    {
        var run = CliRunner.RunWithEnvironment(_environment, ["scan", _dir, "--validate", "--format", "json", "--no-progress"]);
        Assert.True(run.ExitCode == 1, run.Stderr);
        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray().ToList();
        string Status(string ruleId, string secret) => findings
            .Single(f => f.GetProperty("ruleId").GetString() == ruleId && f.GetProperty("secret").GetString()!.EndsWith(secret[^4..], StringComparison.Ordinal))
            .GetProperty("validation").GetProperty("status").GetString()!;

        Assert.Equal("live", Status("package-registries.dockerhub-pat", DockerPat));
        Assert.Equal("live", Status("shopify.access-token", ShopifyToken));
        Assert.Equal("live", Status("slack.webhook-url", Webhook));
        Assert.Equal("unknown", Status("slack.webhook-url", Trigger));
        Assert.Equal("live", Status("atlassian.api-token", Atlassian));
        // The Docker ID is kept for pairing, never reported.
        Assert.DoesNotContain(findings, f => f.GetProperty("ruleId").GetString() is "package-registries.dockerhub-username" or "atlassian.site" or "atlassian.account-email");

        var requests = _fake.Requests.ToList();
        Assert.Equal(4, requests.Count);
        var hook = Assert.Single(requests, r => r.PathAndQuery == new Uri(Webhook).PathAndQuery);
        Assert.Equal(("POST", "{"), (hook.Method, hook.Body));
        Assert.DoesNotContain(requests, r => r.Everything.Contains("eea03bdba261ad590acbc5fbb5ecb983", StringComparison.Ordinal));
    }
}
