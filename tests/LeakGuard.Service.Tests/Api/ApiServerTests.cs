using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using LeakGuard.Service.Api;
using LeakGuard.Service.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace LeakGuard.Service.Tests.Api;

public sealed class ApiServerTests : IAsyncLifetime
{
    private const string Key = "lg-test-key-0123456789abcdef";

    private readonly CapturedLogs logs = new();
    private readonly ServiceMetrics metrics = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Serilog.Core.Logger logger = null!;
    private WebApplication app = null!;
    private Uri baseUrl = null!;

    // Everything, at every level: a key sent as the API expects must not appear even in debug output.
    public Task InitializeAsync() => StartAsync(new LoggerConfiguration().MinimumLevel.Verbose());

    private async Task StartAsync(LoggerConfiguration logging, TimeProvider? time = null)
    {
        logger = logging.WriteTo.Sink(logs).CreateLogger();
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Next();
            app = ApiServer.Build(new IPEndPoint(IPAddress.Loopback, port), new ApiKey(Key), metrics, logger, time: time);
            try
            {
                await app.StartAsync();
                baseUrl = new Uri($"http://127.0.0.1:{port}");
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // The probed port was taken in between: another one.
                await app.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        http.Dispose();
    }

    private async Task StopAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await logger.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Healthz_answers_without_a_key()
    {
        using var response = await GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_without_a_key_is_401_and_the_refusal_is_logged()
    {
        using var response = await GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Refused GET /metrics: no API key", logs.Messages);
    }

    [Theory]
    [InlineData("Bearer wrong-key-0123456789abcdef")]
    [InlineData("Bearer lg-test-key-0123456789abcde")]
    [InlineData("Bearer lg-test-key-0123456789abcdef0")]
    [InlineData("Basic bGc6bGctdGVzdC1rZXk=")]
    [InlineData(Key)]
    public async Task A_wrong_key_is_401(string authorization)
    {
        using var response = await GetAsync("/metrics", authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_path_without_a_key_is_401_not_404()
    {
        using var response = await GetAsync("/api/findings");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_with_the_key_is_prometheus_text()
    {
        metrics.ScanCompleted(bytes: 2048, newFindings: 2, seconds: 0.25);
        metrics.ScanCompleted(bytes: 100, newFindings: 0, seconds: 42);
        // Three targets wait for the scanner; one of them gets it.
        metrics.ScanQueued();
        metrics.ScanQueued();
        metrics.ScanQueued();
        metrics.ScanDequeued();
        metrics.PollSucceeded("npm:@acme/*", DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        metrics.PollSucceeded("git:https://git.example.com/a\"b.git", DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_123_500));
        metrics.SetAlertBacklog(3);

        using var response = await GetAsync("/metrics", $"Bearer {Key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            """
            # HELP leakguard_scans_total Scans completed (one per new version or commit).
            # TYPE leakguard_scans_total counter
            leakguard_scans_total 2
            # HELP leakguard_scan_duration_seconds How long each scan took, waiting for the scanner not included.
            # TYPE leakguard_scan_duration_seconds histogram
            leakguard_scan_duration_seconds_bucket{le="0.1"} 0
            leakguard_scan_duration_seconds_bucket{le="0.5"} 1
            leakguard_scan_duration_seconds_bucket{le="1"} 1
            leakguard_scan_duration_seconds_bucket{le="5"} 1
            leakguard_scan_duration_seconds_bucket{le="15"} 1
            leakguard_scan_duration_seconds_bucket{le="60"} 2
            leakguard_scan_duration_seconds_bucket{le="300"} 2
            leakguard_scan_duration_seconds_bucket{le="+Inf"} 2
            leakguard_scan_duration_seconds_sum 42.25
            leakguard_scan_duration_seconds_count 2
            # HELP leakguard_scan_queue_depth Scans waiting for one of this silo's scan slots.
            # TYPE leakguard_scan_queue_depth gauge
            leakguard_scan_queue_depth 2
            # HELP leakguard_scanned_bytes_total Bytes scanned.
            # TYPE leakguard_scanned_bytes_total counter
            leakguard_scanned_bytes_total 2148
            # HELP leakguard_findings_total New findings.
            # TYPE leakguard_findings_total counter
            leakguard_findings_total 2
            # HELP leakguard_alert_backlog Alerts waiting for delivery.
            # TYPE leakguard_alert_backlog gauge
            leakguard_alert_backlog 3
            # HELP leakguard_target_last_success_timestamp_seconds When each target was last polled successfully, everything new in it scanned (Unix time).
            # TYPE leakguard_target_last_success_timestamp_seconds gauge
            leakguard_target_last_success_timestamp_seconds{target="git:https://git.example.com/a\"b.git"} 1764000123.5
            leakguard_target_last_success_timestamp_seconds{target="npm:@acme/*"} 1764000000

            """,
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_key_never_appears_in_the_logs()
    {
        (await GetAsync("/metrics", $"Bearer {Key}")).Dispose();
        (await GetAsync("/metrics", $"Bearer {Key}x")).Dispose();
        (await GetAsync("/metrics", $"Bearer {Key[..^1]}")).Dispose();
        (await GetAsync("/healthz", $"Bearer {Key}")).Dispose();

        Assert.NotEmpty(logs.Events);
        Assert.Contains("Refused GET /metrics: wrong API key", logs.Messages);
        Assert.All(logs.Events, text => Assert.DoesNotContain(Key[..^1], text));
    }

    [Fact]
    public async Task A_key_put_in_the_query_string_stays_out_of_the_service_logs()
    {
        await StopAsync();
        logs.Events.Clear();
        await StartAsync(ServiceLogging.WithServiceLevels(new LoggerConfiguration()));

        using var response = await GetAsync($"/metrics?key={Key}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Refused GET /metrics: no API key", logs.Messages);
        Assert.All(logs.Events, text => Assert.DoesNotContain(Key, text));
    }

    [Fact]
    public async Task Refusals_are_logged_ten_a_minute_and_the_rest_are_counted()
    {
        await StopAsync();
        logs.Events.Clear();
        logs.Messages.Clear();
        var clock = new StepClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await StartAsync(new LoggerConfiguration(), clock);

        for (int i = 0; i < 25; i++)
        {
            (await GetAsync($"/metrics/{i}")).Dispose();
        }
        clock.Advance(RefusalLog.Window);
        (await GetAsync("/metrics/after-a-minute")).Dispose();

        var refused = logs.Messages.Where(m => m.StartsWith("Refused GET", StringComparison.Ordinal)).ToList();
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"Refused GET /metrics/{i}: no API key"), "Refused GET /metrics/after-a-minute: no API key"], refused);
        Assert.Single(logs.Messages, "Refused 15 more requests without logging each (at most 10 a minute are logged)");
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    public async Task A_listen_address_other_machines_can_reach_is_warned_about_at_start(string address, bool warned)
    {
        await StopAsync();
        logs.Messages.Clear();
        logger = new LoggerConfiguration().WriteTo.Sink(logs).CreateLogger();

        await using var other = ApiServer.Build(new IPEndPoint(IPAddress.Parse(address), FreePort.Next()), new ApiKey(Key), metrics, logger);

        Assert.Equal(warned, logs.Messages.Any(m => m.Contains("is not a loopback address", StringComparison.Ordinal)));
        await StartAsync(new LoggerConfiguration());
    }

    [Fact]
    public async Task A_request_path_cannot_forge_a_line_of_the_text_log()
    {
        await StopAsync();
        var text = new StringWriter();
        await StartAsync(ServiceLogging.WithServiceLevels(new LoggerConfiguration()).WriteTo.Sink(new Formatted(new EscapedLineFormatter(), text)));

        (await GetAsync("/metrics%0a12:00:00%20INF%20npm:@acme/cli:%20all%20clear%1b[2K")).Dispose();
        await logger.DisposeAsync();

        string log = text.ToString();
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string refused = Assert.Single(lines, l => l.Contains("Refused GET", StringComparison.Ordinal));
        Assert.Matches(@"^\d\d:\d\d:\d\d WRN Refused GET /metrics\\u000a12:00:00 INF npm:@acme/cli: all clear\\u001b\[2K: no API key$", refused);
        Assert.DoesNotContain(lines, l => l.StartsWith("12:00:00 INF npm", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', log);
    }

    /// <summary>Events as a formatter writes them to the console.</summary>
    private sealed class Formatted(Serilog.Formatting.ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            lock (output)
            {
                formatter.Format(logEvent, output);
            }
        }
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class StepClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>Every event rendered, message and all properties, so a key in any field would show.</summary>
    private sealed class CapturedLogs : ILogEventSink
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public ConcurrentQueue<string> Messages { get; } = new();

        public void Emit(LogEvent logEvent)
        {
            using var text = new StringWriter();
            new Serilog.Formatting.Json.JsonFormatter(renderMessage: true).Format(logEvent, text);
            Events.Enqueue(text.ToString());
            Messages.Enqueue(logEvent.RenderMessage().Replace("\"", ""));
        }
    }
}
