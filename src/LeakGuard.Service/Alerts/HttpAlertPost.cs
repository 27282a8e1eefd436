using System.Net.Http.Headers;

namespace LeakGuard.Service.Alerts;

/// <summary>One bounded POST, shared by the HTTP channels: every way it can fail becomes a retryable reason.</summary>
internal static class HttpAlertPost
{
    /// <summary>Per attempt, body included; a receiver that hangs must not hold the delivery loop.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<AlertDelivery> SendAsync(
        HttpClient http, Uri url, byte[] body, Action<HttpRequestHeaders> addHeaders, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        addHeaders(request.Headers);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            return response.IsSuccessStatusCode
                ? AlertDelivery.Delivered
                : AlertDelivery.RetryableFailure($"receiver answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AlertDelivery.RetryableFailure($"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            // The message names host and port at most (connection refused, DNS); never the path or query.
            return AlertDelivery.RetryableFailure($"request failed: {e.HttpRequestError}: {e.InnerException?.Message ?? e.Message}");
        }
    }

    /// <summary>Scheme, host and port only: webhook paths (Slack's above all) are bearer secrets.</summary>
    public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
