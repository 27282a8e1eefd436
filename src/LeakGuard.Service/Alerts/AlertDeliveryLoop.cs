using LeakGuard.Service.Api;
using LeakGuard.Storage;
using Serilog;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// Delivers what the store's outbox holds. Each claimed message gets one attempt; a failure goes
/// back to the store with its next attempt time, so the backoff survives a restart and a worker
/// killed mid-delivery leaves only a lease that runs out, after which the message is claimed again.
/// A channel that keeps failing is logged once per reason, not once per alert and attempt.
/// </summary>
public sealed class AlertDeliveryLoop(
    ILeakGuardStore store, OutboxChannels channels, AlertRetryPolicy retryPolicy, ServiceMetrics metrics, ILogger logger, TimeProvider time)
{
    /// <summary>How long a message for a channel no longer configured waits before it is looked at again.</summary>
    private static readonly TimeSpan RemovedChannelRetry = TimeSpan.FromHours(1);

    /// <summary>How many messages one pass claims and tries, each under its own claim: the lease is
    /// sized for one attempt, so a claim of several could outlast it while its last messages wait,
    /// and a second worker on the same store would claim and send those again.</summary>
    private const int PerPass = 20;

    private readonly RepeatedProblemLog channelProblems = new(logger, "alert delivery", "attempt");

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

    /// <summary>One pass: claims what is due, one message at a time, and tries each once. Returns how many were claimed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellation)
    {
        int claimed = 0;
        for (; claimed < PerPass; claimed++)
        {
            var messages = await store.ClaimDueAlertsAsync(1, channels.Lease, cancellation).ConfigureAwait(false);
            if (messages.Count == 0)
            {
                break;
            }
            var message = messages[0];
            var channel = channels.Find(message.Channel);
            if (channel is null)
            {
                await store.MarkFailedAsync(message, time.GetUtcNow() + RemovedChannelRetry, "channel is no longer configured", cancellation)
                    .ConfigureAwait(false);
                continue;
            }
            // An attempt in flight when the worker stops is abandoned; its lease runs out and it is retried.
            var delivery = await channel.DeliverAsync(StoredAlert.From(message), cancellation).ConfigureAwait(false);
            if (delivery.Succeeded)
            {
                await store.MarkDeliveredAsync(message.Id, cancellation).ConfigureAwait(false);
                channelProblems.Succeeded(message.Channel, channel.Description);
                logger.Information("Alert for finding {FindingId} ({Target}) delivered to {Channel}",
                    message.Finding.Id, message.Finding.Target, channel.Description);
            }
            else
            {
                var wait = retryPolicy.DelayAfter(message.FailedAttempts + 1);
                await store.MarkFailedAsync(message, time.GetUtcNow() + wait, delivery.FailureReason!, cancellation).ConfigureAwait(false);
                // Keyed by the outbox name: two channels may share a description (Slack's scheme and host).
                channelProblems.Failed(message.Channel, channel.Description, delivery.FailureReason!);
            }
        }
        return claimed;
    }
}
