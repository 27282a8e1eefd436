namespace Orders.Services;

public sealed class WebhookSender(HttpClient http)
{
    private const string TokenHeaderName = "x-orders-webhook-token";
    private const string WebhookToken = "Wh4Lq9Xz2Rm7Vk3Tn8Pc6Bd1";
    private static readonly string CancellationToken = "none";

    public Task SendAsync(string payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://hooks.partner.example/orders");
        request.Headers.Add(TokenHeaderName, WebhookToken);
        request.Content = new StringContent(payload);
        return http.SendAsync(request);
    }
}
