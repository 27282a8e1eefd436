using System.Security.Cryptography;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// POSTs <see cref="AlertJson"/> to a URL. With a signing secret, adds
/// <c>X-LeakGuard-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> so the receiver can
/// tell the alert came from its LeakGuard and was not altered.
/// </summary>
public sealed class WebhookAlertChannel(HttpClient http, Uri url, string? signingSecret, TimeSpan? timeout = null) : IAlertChannel
{
    public const string SignatureHeader = "X-LeakGuard-Signature";

    public string Description => $"webhook {HttpAlertPost.Describe(url)}";

    public Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken)
    {
        byte[] body = AlertJson.Serialize(alert);
        return HttpAlertPost.SendAsync(
            http,
            url,
            body,
            headers =>
            {
                if (signingSecret is not null)
                {
                    headers.Add(SignatureHeader, Signature(body, signingSecret));
                }
            },
            timeout ?? HttpAlertPost.DefaultTimeout,
            cancellationToken);
    }

    /// <summary>The header value for a body: what receivers compute to verify it.</summary>
    public static string Signature(ReadOnlySpan<byte> body, string signingSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(signingSecret), body));
}
