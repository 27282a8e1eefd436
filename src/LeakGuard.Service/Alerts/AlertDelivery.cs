namespace LeakGuard.Service.Alerts;

/// <summary>What one delivery attempt came to.</summary>
public sealed class AlertDelivery
{
    public static readonly AlertDelivery Delivered = new(null);

    private AlertDelivery(string? failureReason) => FailureReason = failureReason;

    /// <summary>Why the attempt failed, for logs; null when delivered. Never contains a secret or a URL's credentials.</summary>
    public string? FailureReason { get; }

    public bool Succeeded => FailureReason is null;

    /// <summary>The receiver may take it later (down, overloaded, timed out): the caller should try again.</summary>
    public static AlertDelivery RetryableFailure(string reason) => new(reason);
}
