namespace LeakGuard.Service.Alerts;

/// <summary>Somewhere an alert goes. One attempt per call: retrying is the caller's (see <see cref="AlertRetryPolicy"/>).</summary>
public interface IAlertChannel
{
    /// <summary>Names the channel in logs without any secret part of its address.</summary>
    string Description { get; }

    /// <summary>Delivers one alert. Failures are returned, not thrown; only cancellation by the caller throws.</summary>
    Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken);
}
