using System.Diagnostics;
using System.Net;
using LeakGuard.Core.Findings;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Service.Tests.Support;
using Serilog.Events;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class AlertDeliveryLoopTests : IAsyncLifetime
{
    private readonly LogLines logs = new();
    private Serilog.Core.Logger logger = null!;
    private readonly ServiceMetrics metrics = new();
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private TemporaryStore store = null!;
    private WebhookReceiver receiver = null!;
    private AlertChannels channels = null!;
    private OutboxChannels outbox = null!;
    private AlertDeliveryLoop loop = null!;

    public async Task InitializeAsync()
    {
        logger = logs.CreateLogger();
        store = await TemporaryStore.OpenAsync(clock);
        receiver = WebhookReceiver.Start();
        AlertSettings[] settings = [new AlertSettings(AlertChannelKind.Webhook, receiver.Url.ToString(), Severity.High, null, 1)];
        channels = new AlertChannels(settings);
        outbox = new OutboxChannels(settings, channels);
        await store.Store.RecordScanAsync(TemporaryStore.Target,
            [TemporaryStore.AFinding("fp-critical", Severity.Critical), TemporaryStore.AFinding("fp-low", Severity.Low)], outbox.ForStore);
        loop = new AlertDeliveryLoop(store.Store, outbox, new AlertRetryPolicy(), metrics, logger, clock);
    }

    public async Task DisposeAsync()
    {
        channels.Dispose();
        await receiver.DisposeAsync();
        await store.DisposeAsync();
        await logger.DisposeAsync();
    }

    [Fact]
    public async Task A_new_finding_at_the_channels_severity_is_delivered_once()
    {
        Assert.Equal(1, await loop.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(0, await loop.DeliverDueAsync(CancellationToken.None));

        var request = Assert.Single(receiver.Requests);
        Assert.Contains("fp-critical", System.Text.Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
        Assert.Equal(0, await store.Store.CountBacklogAsync());
    }

    [Fact]
    public async Task A_failed_delivery_waits_for_its_backoff_then_arrives()
    {
        receiver.Status = HttpStatusCode.InternalServerError;
        Assert.Equal(1, await loop.DeliverDueAsync(CancellationToken.None));
        // Not due again at once: the first retry waits 1 to 2 seconds.
        Assert.Equal(0, await loop.DeliverDueAsync(CancellationToken.None));
        receiver.Status = HttpStatusCode.OK;

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await loop.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(0, await store.Store.CountBacklogAsync());
    }

    [Fact]
    public async Task A_channel_failing_for_one_reason_is_logged_once_then_once_when_it_works_again()
    {
        await store.Store.RecordScanAsync(TemporaryStore.Target, [TemporaryStore.AFinding("fp-high", Severity.High)], outbox.ForStore);
        receiver.Status = HttpStatusCode.InternalServerError;
        Assert.Equal(2, await loop.DeliverDueAsync(CancellationToken.None));
        clock.Advance(AlertRetryPolicy.DefaultLongestDelay);
        Assert.Equal(2, await loop.DeliverDueAsync(CancellationToken.None));
        receiver.Status = HttpStatusCode.OK;
        clock.Advance(AlertRetryPolicy.DefaultLongestDelay);

        Assert.Equal(2, await loop.DeliverDueAsync(CancellationToken.None));

        string channel = $"webhook {receiver.Url.GetLeftPart(UriPartial.Authority)}";
        Assert.Equal(
            [$"{channel}: alert delivery failed: receiver answered 500 Internal Server Error (logged again when the reason changes)"],
            logs.At(LogEventLevel.Warning));
        var information = logs.At(LogEventLevel.Information);
        Assert.Equal($"{channel}: alert delivery works again after 4 failed attempts", information[0]);
        Assert.Equal(2, information.Count(line => line.Contains("delivered to", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_alert_claimed_by_a_worker_that_died_is_delivered_once_its_lease_runs_out()
    {
        // What a worker killed mid-delivery leaves behind: a claim nobody will finish.
        Assert.Single(await store.Store.ClaimDueAlertsAsync(10, outbox.Lease));
        Assert.Equal(0, await loop.DeliverDueAsync(CancellationToken.None));

        clock.Advance(outbox.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await loop.DeliverDueAsync(CancellationToken.None));

        Assert.Single(receiver.Requests);
        Assert.Equal(0, await store.Store.CountBacklogAsync());
    }

    [Fact]
    public async Task The_backlog_gauge_rises_with_undelivered_alerts_and_falls_to_zero_once_they_are_delivered()
    {
        // The gauge starts at 0, so only a gauge that moves can pass: up while the receiver
        // refuses (the rows stay in the outbox, waiting for their retry), down once it accepts.
        Assert.Equal(0, BacklogGauge());
        receiver.Status = HttpStatusCode.InternalServerError;
        using var stopping = new CancellationTokenSource();
        var running = loop.RunAsync(TimeSpan.FromMilliseconds(50), stopping.Token);

        await GaugeReadsAsync(1);
        Assert.NotEmpty(receiver.Requests);
        Assert.Equal(1, await store.Store.CountBacklogAsync());

        await store.Store.RecordScanAsync(TemporaryStore.Target, [TemporaryStore.AFinding("fp-high", Severity.High)], outbox.ForStore);
        await GaugeReadsAsync(2);

        receiver.Status = HttpStatusCode.OK;
        clock.Advance(AlertRetryPolicy.DefaultLongestDelay);
        await GaugeReadsAsync(0);
        Assert.Equal(0, await store.Store.CountBacklogAsync());
        var delivered = receiver.Requests.Select(r => System.Text.Encoding.UTF8.GetString(r.Body)).ToList();
        Assert.Contains(delivered, body => body.Contains("fp-critical", StringComparison.Ordinal));
        Assert.Contains(delivered, body => body.Contains("fp-high", StringComparison.Ordinal));

        await stopping.CancelAsync();
        await running;
    }

    private long BacklogGauge()
    {
        const string name = "leakguard_alert_backlog ";
        string line = metrics.ToPrometheusText().Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task GaugeReadsAsync(long expected)
    {
        var deadline = Stopwatch.StartNew();
        while (BacklogGauge() != expected)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10),
                $"leakguard_alert_backlog is {BacklogGauge()}, not {expected}, after 10 s; outbox holds {await store.Store.CountBacklogAsync()}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public void The_lease_outlasts_the_longest_attempt_of_the_configured_channels()
    {
        AlertSettings Webhook(TimeSpan? timeout) => new(AlertChannelKind.Webhook, "https://hooks.example.com/x", Severity.Info, null, 1, timeout);
        var file = new AlertSettings(AlertChannelKind.File, "/tmp/alerts.jsonl", Severity.Info, null, 2);

        // The default attempt (15 s) twice, plus 5 s.
        Assert.Equal(TimeSpan.FromSeconds(35), OutboxChannels.LeaseFor([Webhook(null), file]));
        Assert.Equal(TimeSpan.FromSeconds(125), OutboxChannels.LeaseFor([Webhook(TimeSpan.FromSeconds(2)), Webhook(TimeSpan.FromMinutes(1))]));
        // Never shorter than 10 s, even for short timeouts or files alone.
        Assert.Equal(TimeSpan.FromSeconds(10), OutboxChannels.LeaseFor([Webhook(TimeSpan.FromSeconds(2))]));
        Assert.Equal(TimeSpan.FromSeconds(10), OutboxChannels.LeaseFor([file]));
    }

    [Fact]
    public void Outbox_names_do_not_carry_the_destination()
    {
        var slack = new AlertSettings(AlertChannelKind.Slack, "https://hooks.slack.com/services/T000/B000/secretpath", Severity.Info, null, 1);

        string name = OutboxChannels.NameOf(slack);

        Assert.StartsWith("slack:", name, StringComparison.Ordinal);
        Assert.DoesNotContain("secretpath", name, StringComparison.Ordinal);
    }
}
