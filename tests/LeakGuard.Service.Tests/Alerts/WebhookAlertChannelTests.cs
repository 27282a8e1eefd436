using System.Net;
using System.Security.Cryptography;
using System.Text;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Tests.Support;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class WebhookAlertChannelTests : IDisposable
{
    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Posts_the_documented_json_body()
    {
        await using var receiver = WebhookReceiver.Start();
        var channel = new WebhookAlertChannel(http, receiver.Url, signingSecret: null);

        var delivery = await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.True(delivery.Succeeded, delivery.FailureReason);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook", request.Path);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(SampleAlerts.NpmTokenJson, Encoding.UTF8.GetString(request.Body));
        Assert.Null(request.Headers[WebhookAlertChannel.SignatureHeader]);
    }

    [Fact]
    public void The_service_docs_show_the_exact_bytes_sent()
    {
        string docs = File.ReadAllText(Path.Join(AppContext.BaseDirectory, "docs", "service.md"));

        Assert.Contains("\n" + SampleAlerts.NpmTokenJson + "\n", docs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_secret_signs_the_exact_body_with_hmac_sha256()
    {
        await using var receiver = WebhookReceiver.Start();
        var channel = new WebhookAlertChannel(http, receiver.Url, signingSecret: "hook-secret");

        await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        // Computed the way a receiver would, independently of the channel's own helper.
        string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("hook-secret"u8, request.Body));
        Assert.Equal(expected, request.Headers[WebhookAlertChannel.SignatureHeader]);
        Assert.Equal(
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("hook-secret"u8, Encoding.UTF8.GetBytes(SampleAlerts.NpmTokenJson))),
            expected);
    }

    [Fact]
    public async Task A_git_finding_names_repository_and_commit()
    {
        await using var receiver = WebhookReceiver.Start();
        var channel = new WebhookAlertChannel(http, receiver.Url, signingSecret: null);

        await channel.DeliverAsync(SampleAlerts.GitKey, CancellationToken.None);

        string body = Encoding.UTF8.GetString(Assert.Single(receiver.Requests).Body);
        Assert.Contains("""
            "location":{"path":"deploy/env.sh","line":1,"column":8,"commit":"9fceb02d0ae598e95dc970b74767f19372d61af8","author":null,"date":null,"package":null,"version":null,"repository":"https://git.example.com/acme/api.git"}
            """, body);
    }

    [Fact]
    public async Task A_receiver_answering_500_is_a_retryable_failure()
    {
        await using var receiver = WebhookReceiver.Start(HttpStatusCode.InternalServerError);
        var channel = new WebhookAlertChannel(http, receiver.Url, signingSecret: null);

        var delivery = await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.False(delivery.Succeeded);
        Assert.Equal("receiver answered 500 Internal Server Error", delivery.FailureReason);
    }

    [Fact]
    public async Task A_closed_port_is_a_retryable_failure()
    {
        var channel = new WebhookAlertChannel(http, new Uri($"http://127.0.0.1:{FreePort.Next()}/hook"), signingSecret: null);

        var delivery = await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.False(delivery.Succeeded);
        Assert.Contains("Connection refused", delivery.FailureReason);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_as_a_retryable_failure()
    {
        // Accepts the connection but never reads or answers.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var channel = new WebhookAlertChannel(http, new Uri($"http://127.0.0.1:{port}/hook"), signingSecret: null, timeout: TimeSpan.FromMilliseconds(300));

        var delivery = await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.False(delivery.Succeeded);
        Assert.Equal("no answer within 0.3 s", delivery.FailureReason);
    }

    [Fact]
    public void Describes_itself_without_the_url_path()
    {
        var channel = new WebhookAlertChannel(http, new Uri("https://hooks.example.com/secret-path?token=x"), signingSecret: null);

        Assert.Equal("webhook https://hooks.example.com", channel.Description);
    }
}
