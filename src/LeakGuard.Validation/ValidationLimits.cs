namespace LeakGuard.Validation;

/// <summary>How long and how often a provider is asked: bounded, so a slow or hostile endpoint costs
/// a known amount and ends as <c>error</c> or <c>unknown</c>.</summary>
public sealed record ValidationLimits
{
    /// <summary>One request, connection to last byte.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a 429 or 5xx.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>The longest Retry-After honoured; a provider asking for longer is answered <c>unknown</c>.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before retrying a 5xx, or a 429 without Retry-After.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>What is read of an answer: enough for any "who am I" document.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;
}
