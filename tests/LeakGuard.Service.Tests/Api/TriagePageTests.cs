using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Service.Api;
using LeakGuard.Service.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Serilog;

namespace LeakGuard.Service.Tests.Api;

/// <summary>The triage page's HTTP side: the page, signing in and out, and what a session may do.
/// The page's behaviour in a browser is tested in LeakGuard.Browser.Tests.</summary>
public sealed class TriagePageTests : IAsyncLifetime
{
    private const string Key = "lg-test-key-0123456789abcdef";

    // Cookies are sent by hand: each test says exactly which session a request carries.
    private readonly HttpClient http = new(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Serilog.Core.Logger logger = new LoggerConfiguration().CreateLogger();
    private TemporaryStore store = null!;
    private WebApplication app = null!;
    private long findingId;
    private string origin = "";

    public async Task InitializeAsync()
    {
        store = await TemporaryStore.OpenAsync();
        findingId = (await store.Store.RecordScanAsync(TemporaryStore.Target, [TemporaryStore.AFinding("fp-1", Severity.High)], []))[0].Id;
        int port = FreePort.Next();
        app = ApiServer.Build(new IPEndPoint(IPAddress.Loopback, port), new ApiKey(Key), new ServiceMetrics(), logger);
        FindingsEndpoints.Map(app, store.Store);
        await app.StartAsync();
        origin = $"http://127.0.0.1:{port}";
        http.BaseAddress = new Uri(origin);
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await store.DisposeAsync();
        await logger.DisposeAsync();
        http.Dispose();
    }

    private sealed record Session(string Cookie, string Csrf);

    private async Task<HttpResponseMessage> SignInAsync(string key, string mediaType = "application/json", string? from = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { key }), Encoding.UTF8, mediaType),
        };
        request.Headers.Add("Origin", from ?? origin);
        return await http.SendAsync(request);
    }

    private async Task<Session> SignedInAsync()
    {
        using var response = await SignInAsync(Key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Session(setCookie.Split(';')[0], json.RootElement.GetProperty("csrf").GetString()!);
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, Session? session, string? csrf = null, string? from = null,
        string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (session is not null)
        {
            request.Headers.Add("Cookie", session.Cookie);
        }
        if (csrf is not null)
        {
            request.Headers.Add(TriageSessions.CsrfHeader, csrf);
        }
        if (from is not null)
        {
            request.Headers.Add("Origin", from);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<JsonElement> FindingByKeyAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/findings/{findingId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task The_page_is_served_without_the_key_holds_no_data_and_allows_only_its_own_script_and_style()
    {
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'sha256-", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("<form id=\"signin-form\"", html);
        Assert.DoesNotContain("fp-1", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
    }

    [Fact]
    public async Task Signing_in_sets_an_HttpOnly_SameSite_Strict_cookie_that_reads_findings()
    {
        using var response = await SignInAsync(Key);
        string setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var session = await SignedInAsync();

        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith(TriageSessions.CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, setCookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/api/findings", session));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/findings", null));
    }

    [Fact]
    public async Task A_wrong_key_a_form_post_and_another_origin_do_not_sign_in()
    {
        using var wrong = await SignInAsync("lg-wrong-key-0123456789abcdef");
        using var form = await SignInAsync(Key, "application/x-www-form-urlencoded");
        using var elsewhere = await SignInAsync(Key, from: "https://attacker.example");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.All([wrong, form, elsewhere], r => Assert.False(r.Headers.Contains("Set-Cookie")));
    }

    [Fact]
    public async Task A_session_changes_a_status_only_with_its_CSRF_token_and_from_its_own_origin()
    {
        var session = await SignedInAsync();
        const string body = """{"status": "false-positive"}""";
        string path = $"/api/findings/{findingId}";

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Patch, path, session, body: body));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Patch, path, session, csrf: "not-the-token", body: body));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Patch, path, session, csrf: session.Csrf, from: "https://attacker.example", body: body));
        Assert.Equal("open", (await FindingByKeyAsync()).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Patch, path, session, csrf: session.Csrf, from: origin, body: body));

        var finding = await FindingByKeyAsync();
        Assert.Equal("false-positive", finding.GetProperty("status").GetString());
        var change = finding.GetProperty("history").EnumerateArray().Last();
        Assert.StartsWith("triage page session ", change.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var session = await SignedInAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Delete, "/api/session", session));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Delete, "/api/session", session, csrf: session.Csrf));

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/findings", session));
    }
}
