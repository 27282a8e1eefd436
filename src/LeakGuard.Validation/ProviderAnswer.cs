using System.Net;

namespace LeakGuard.Validation;

/// <summary>What one request to a provider returned, read within <see cref="ValidationLimits.MaxBodyBytes"/>.</summary>
internal sealed record ProviderAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan? RetryAfter)
{
    public bool RateLimited => Status == HttpStatusCode.TooManyRequests;

    public bool ServerError => (int)Status >= 500;
}
