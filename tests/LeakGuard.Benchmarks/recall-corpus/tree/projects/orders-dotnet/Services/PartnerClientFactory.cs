namespace Orders.Services;

public static class PartnerClientFactory
{
    // Falls back to the sandbox account when the variable is not set.
    private static readonly string ApiKey =
        Environment.GetEnvironmentVariable("PARTNER_API_KEY") ?? "LGrcZx7Vq2LmW9kR4tNb8Pc3Jd6sYh";

    private static readonly string BaseUrl =
        Environment.GetEnvironmentVariable("PARTNER_BASE_URL") ?? "https://sandbox.partner.example.net";

    private static readonly string ApiKeyHeader =
        Environment.GetEnvironmentVariable("PARTNER_API_KEY_HEADER") ?? "X-Partner-Key";

    public static HttpClient Create()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add(ApiKeyHeader, ApiKey);
        return client;
    }
}
