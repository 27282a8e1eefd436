using System.Net;
using LeakGuard.Core.Findings;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Configuration;
using LeakGuard.Service.Tests.Support;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class AlertChannelsTests
{
    [Fact]
    public void Each_configured_alert_becomes_its_channel()
    {
        using var channels = new AlertChannels(
        [
            new AlertSettings(AlertChannelKind.Webhook, "https://hooks.example.com/x", Severity.Info, "k", 1),
            new AlertSettings(AlertChannelKind.Slack, "https://hooks.slack.com/services/T/B/X", Severity.Info, null, 2),
            new AlertSettings(AlertChannelKind.File, "/tmp/alerts.jsonl", Severity.High, null, 3),
        ]);

        Assert.Equal(
            ["webhook https://hooks.example.com", "slack https://hooks.slack.com", "file /tmp/alerts.jsonl"],
            channels.Configured.Select(c => c.Channel.Description));
    }

    [Fact]
    public void A_finding_goes_only_to_channels_whose_min_severity_it_reaches()
    {
        using var channels = new AlertChannels(
        [
            new AlertSettings(AlertChannelKind.Webhook, "https://hooks.example.com/x", Severity.Info, null, 1),
            new AlertSettings(AlertChannelKind.File, "/tmp/alerts.jsonl", Severity.High, null, 2),
        ]);

        Assert.Equal(["webhook https://hooks.example.com"], channels.For(Severity.Medium).Select(c => c.Description));
        Assert.Equal(2, channels.For(Severity.High).Count());
        Assert.Equal(2, channels.For(Severity.Critical).Count());
    }

    [Fact]
    public async Task A_redirecting_receiver_is_a_retryable_failure_not_followed()
    {
        await using var receiver = WebhookReceiver.Start(HttpStatusCode.Redirect);
        using var channels = new AlertChannels([new AlertSettings(AlertChannelKind.Webhook, receiver.Url.AbsoluteUri, Severity.Info, null, 1)]);

        var delivery = await channels.Configured[0].Channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.Equal("receiver answered 302 Found", delivery.FailureReason);
        Assert.Single(receiver.Requests);
    }
}
