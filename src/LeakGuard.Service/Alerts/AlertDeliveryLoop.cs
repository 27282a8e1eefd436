using LeakGuard.Service.Api;
using LeakGuard.Storage;
using Serilog;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// Delivers what the store's outbox holds. Each claimed message gets one attempt; a failure goes
/// back to the store with its next attempt time, so the backoff survives a restart and a worker
/// killed mid-delivery leaves only a lease that runs out, after which the message is claimed again.
/// </summary>
public sealed class AlertDeliveryLoop(
    ILeakGuardStore store, OutboxChannels channels, AlertRetryPolicy retryPolicy, ServiceMetrics metrics, ILogger logger, TimeProvider time)
{
    /// <summary>How long a message for a channel no longer configured waits before it is looked at again.</summary>
    private static readonly TimeSpan RemovedChannelRetry = TimeSpan.FromHours(1);

    private const int BatchSize = 20;

    /// <param name="idle">How long to wait when nothing is due.</param>
    public async Task RunAsync(TimeSpan idle, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            int claimed;
            try
            {
                claimed = await DeliverDueAsync(stopping).ConfigureAwait(false);
                metrics.SetAlertBacklog(await store.CountBacklogAsync(stopping).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The store being briefly unreachable must not end delivery for good.
                logger.Warning("Alert delivery pass failed: {Reason}", e.Message);
                claimed = 0;
            }
            if (claimed == 0)
            {
                try
                {
                    await Task.Delay(idle, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One pass: claims what is due and tries each once. Returns how many were claimed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellation)
    {
        var messages = await store.ClaimDueAlertsAsync(BatchSize, channels.Lease, cancellation).ConfigureAwait(false);
        foreach (var message in messages)
        {
            var channel = channels.Find(message.Channel);
            if (channel is null)
            {
                await store.MarkFailedAsync(message, time.GetUtcNow() + RemovedChannelRetry, "channel is no longer configured", cancellation)
                    .ConfigureAwait(false);
                continue;
            }
            // An attempt in flight when the worker stops is abandoned; its lease runs out and it is retried.
            var delivery = await channel.DeliverAsync(StoredAlert.From(message.Finding), cancellation).ConfigureAwait(false);
            if (delivery.Succeeded)
            {
                await store.MarkDeliveredAsync(message.Id, cancellation).ConfigureAwait(false);
                logger.Information("Alert for finding {FindingId} ({Target}) delivered to {Channel}",
                    message.Finding.Id, message.Finding.Target, channel.Description);
            }
            else
            {
                var wait = retryPolicy.DelayAfter(message.FailedAttempts + 1);
                await store.MarkFailedAsync(message, time.GetUtcNow() + wait, delivery.FailureReason!, cancellation).ConfigureAwait(false);
                logger.Warning("Alert for finding {FindingId} not delivered to {Channel}: {Reason}; next attempt in {Wait}",
                    message.Finding.Id, channel.Description, delivery.FailureReason, wait);
            }
        }
        return messages.Count;
    }
}
