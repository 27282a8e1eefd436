using System.Net;
using System.Text.Json;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Tests.Support;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class SlackAlertChannelTests : IDisposable
{
    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Posts_a_readable_message_naming_package_version_leak_and_severity()
    {
        await using var receiver = WebhookReceiver.Start();
        var channel = new SlackAlertChannel(http, receiver.Url);

        var delivery = await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.True(delivery.Succeeded, delivery.FailureReason);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(
            "*LeakGuard: critical* GitHub personal access token (classic) in `@acme/cli` 2.1.0\n"
            + "`@acme/cli@2.1.0.tgz!package/dist/cli.js` · secret `ghp_…G5iK` · rule `github.pat` · fingerprint `c8763015c2043d3cc85ff39f2231b281`\n"
            + "New since 2.0.9\n"
            + "• @acme/cli 2.1.0 adds package/dist/cli.js.map (57.0 MiB, 1,944 embedded files); not in 2.0.9",
            body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void A_finding_that_was_already_in_the_previous_version_has_no_release_lines()
    {
        string message = SlackAlertChannel.Message(SampleAlerts.NpmToken with { NewSince = null, ReleaseChanges = null });

        Assert.DoesNotContain("New since", message, StringComparison.Ordinal);
        Assert.Equal(2, message.Split('\n').Length);
    }

    [Fact]
    public void An_exposure_without_a_secret_names_no_secret()
    {
        var exposure = SampleAlerts.NpmToken with { Finding = SampleAlerts.NpmToken.Finding with { RuleId = "leakguard.source-map-sources", Secret = null } };

        string message = SlackAlertChannel.Message(exposure);

        Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
        Assert.Contains("rule `leakguard.source-map-sources`", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_git_finding_names_repository_and_commit_and_escapes_slack_markup()
    {
        string message = SlackAlertChannel.Message(SampleAlerts.GitKey);

        Assert.StartsWith(
            "*LeakGuard: high* AWS access key &lt;id&gt; in https://git.example.com/acme/api.git at commit `9fceb02d0ae598e95dc970b74767f19372d61af8`\n",
            message);
    }

    [Fact]
    public async Task A_receiver_answering_500_is_a_retryable_failure()
    {
        await using var receiver = WebhookReceiver.Start(HttpStatusCode.InternalServerError);
        var channel = new SlackAlertChannel(http, receiver.Url);

        var delivery = await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.Equal("receiver answered 500 Internal Server Error", delivery.FailureReason);
    }

    [Fact]
    public void Describes_itself_without_the_secret_webhook_path()
    {
        var channel = new SlackAlertChannel(http, new Uri("https://hooks.slack.com/services/T000/B000/XXXX"));

        Assert.Equal("slack https://hooks.slack.com", channel.Description);
    }
}
