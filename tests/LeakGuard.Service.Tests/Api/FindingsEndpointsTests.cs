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

public sealed class FindingsEndpointsTests : IAsyncLifetime
{
    private const string Key = "lg-test-key-0123456789abcdef";

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Serilog.Core.Logger logger = new LoggerConfiguration().CreateLogger();
    private TemporaryStore store = null!;
    private WebApplication app = null!;
    private long criticalId;

    public async Task InitializeAsync()
    {
        store = await TemporaryStore.OpenAsync();
        var added = await store.Store.RecordScanAsync(TemporaryStore.Target,
            [TemporaryStore.AFinding("fp-critical", Severity.Critical), TemporaryStore.AFinding("fp-low", Severity.Low)], []);
        criticalId = added.Single(f => f.Finding.Severity == Severity.Critical).Id;
        int port = FreePort.Next();
        app = ApiServer.Build(new IPEndPoint(IPAddress.Loopback, port), new ApiKey(Key), new ServiceMetrics(), logger);
        FindingsEndpoints.Map(app, store.Store);
        await app.StartAsync();
        http.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await store.DisposeAsync();
        await logger.DisposeAsync();
        http.Dispose();
    }

    private async Task<List<JsonElement>> ListAsync(string query)
    {
        using var response = await http.GetAsync(new Uri("/api/findings" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone())];
    }

    private async Task<HttpStatusCode> PatchAsync(long id, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PatchAsync(new Uri($"/api/findings/{id}", UriKind.Relative), content);
        return response.StatusCode;
    }

    [Fact]
    public async Task Severity_keeps_findings_at_least_that_severe()
    {
        var findings = await ListAsync("?severity=high");

        var finding = Assert.Single(findings);
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Equal("open", finding.GetProperty("status").GetString());
        Assert.Equal("2.1.0", finding.GetProperty("location").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Target_and_since_filter_the_list()
    {
        Assert.Equal(2, (await ListAsync("?target=" + Uri.EscapeDataString(TemporaryStore.Target))).Count);
        Assert.Empty(await ListAsync("?target=npm:other"));
        Assert.Empty(await ListAsync("?since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))));
    }

    [Fact]
    public async Task Kind_rule_and_confidence_filter_the_list()
    {
        await store.Store.RecordScanAsync(TemporaryStore.Target,
            [TemporaryStore.AFinding("fp-map", Severity.High) with
            {
                RuleId = "leakguard.source-map-sources", Kind = FindingKind.Exposure, Confidence = Confidence.Low, Secret = null,
            }], []);
        var exposure = Assert.Single(await ListAsync("?kind=exposure"));
        Assert.Equal("leakguard.source-map-sources", exposure.GetProperty("ruleId").GetString());
        Assert.Equal(2, (await ListAsync("?kind=secret")).Count);
        Assert.Equal(2, (await ListAsync("?rule=github.pat")).Count);
        Assert.Empty(await ListAsync("?rule=github"));
        // At least that likely to be real: the low-confidence exposure is left out.
        Assert.All(await ListAsync("?confidence=medium"), f => Assert.Equal("github.pat", f.GetProperty("ruleId").GetString()));
        Assert.Equal(3, (await ListAsync("?confidence=low")).Count);
    }

    [Theory]
    [InlineData("?kind=leak")]
    [InlineData("?confidence=sure")]
    [InlineData("?rule=")]
    [InlineData("?severity=urgent")]
    [InlineData("?status=closed")]
    [InlineData("?since=yesterday")]
    [InlineData("?limit=0")]
    public async Task A_bad_filter_is_400(string query)
    {
        using var response = await http.GetAsync(new Uri("/api/findings" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task One_finding_by_its_id_and_404_for_an_id_no_finding_has()
    {
        using var response = await http.GetAsync(new Uri($"/api/findings/{criticalId}", UriKind.Relative));
        using var missing = await http.GetAsync(new Uri($"/api/findings/{criticalId + 1000}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(criticalId, json.RootElement.GetProperty("id").GetInt64());
        Assert.Equal("critical", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal("open", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Patch_sets_the_triage_status_and_the_finding_history_says_who_set_it()
    {
        Assert.Equal(HttpStatusCode.NoContent, await PatchAsync(criticalId, """{"status": "false-positive"}"""));

        var finding = Assert.Single(await ListAsync("?status=false-positive"));
        Assert.Equal(criticalId, finding.GetProperty("id").GetInt64());
        Assert.False(finding.TryGetProperty("history", out _));
        using var response = await http.GetAsync(new Uri($"/api/findings/{criticalId}", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var history = json.RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["found", "status"], history.Select(h => h.GetProperty("event").GetString()));
        Assert.Equal("false-positive", history[1].GetProperty("status").GetString());
        Assert.Equal("API key", history[1].GetProperty("actor").GetString());
    }

    [Theory]
    [InlineData("""{"status": "closed"}""")]
    [InlineData("""{"status": "Resolved"}""")]
    [InlineData("""{"state": "resolved"}""")]
    [InlineData("not json")]
    public async Task Patch_with_an_unknown_status_is_400(string body)
    {
        Assert.Equal(HttpStatusCode.BadRequest, await PatchAsync(criticalId, body));
        Assert.Equal(2, (await ListAsync("?status=open")).Count);
    }

    [Fact]
    public async Task A_patch_body_over_4_KB_is_413_and_changes_nothing_however_it_is_sent()
    {
        // A valid request padded past the limit: read whole, it would set the status.
        string padded = $$"""{"status": "resolved", "pad": "{{new string('x', 64 * 1024)}}"}""";
        using var chunked = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(padded)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/findings/{criticalId}", UriKind.Relative)) { Content = chunked };

        using var response = await http.SendAsync(request);

        Assert.Null(chunked.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PatchAsync(criticalId, padded));
        Assert.Equal(2, (await ListAsync("?status=open")).Count);
    }

    [Theory]
    [InlineData("""{"status": "\udc00"}""")]
    [InlineData("""{"status": "resolved\ud800"}""")]
    public async Task Patch_with_a_status_that_is_not_text_is_400_not_500(string body)
    {
        Assert.Equal(HttpStatusCode.BadRequest, await PatchAsync(criticalId, body));
        Assert.Equal(2, (await ListAsync("?status=open")).Count);
    }

    [Theory]
    [InlineData("?severity=critical&severity=low", "severity: given 2 times")]
    [InlineData("?target=npm:other&target=" + TemporaryStore.Target, "target: given 2 times")]
    [InlineData("?severty=critical", "unknown parameter 'severty'")]
    [InlineData("?target=", "target: empty")]
    public async Task A_filter_that_cannot_be_applied_as_written_is_400_not_ignored(string query, string error)
    {
        using var response = await http.GetAsync(new Uri("/api/findings" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_of_an_unknown_id_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, await PatchAsync(999_999, """{"status": "resolved"}"""));
    }

    [Fact]
    public async Task Findings_need_the_api_key()
    {
        http.DefaultRequestHeaders.Authorization = null;
        using var response = await http.GetAsync(new Uri("/api/findings", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A body whose length HttpClient cannot know, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
