using LeakGuard.Service.Alerts;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class AlertRetryPolicyTests
{
    /// <summary>Fails a set number of times, then delivers; counts attempts.</summary>
    private sealed class FlakyChannel(int failures) : IAlertChannel
    {
        public int Attempts { get; private set; }

        public string Description => "flaky";

        public Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken)
        {
            Attempts++;
            return Task.FromResult(Attempts <= failures ? AlertDelivery.RetryableFailure($"down ({Attempts})") : AlertDelivery.Delivered);
        }
    }

    private static (AlertRetryPolicy Policy, List<(int Attempt, string Reason, TimeSpan Delay)> Retries) Policy(
        int retries, Func<double>? randomizer = null, TimeSpan? longest = null)
    {
        var seen = new List<(int, string, TimeSpan)>();
        var policy = new AlertRetryPolicy(
            firstDelay: TimeSpan.FromMilliseconds(4),
            longestDelay: longest ?? TimeSpan.FromMilliseconds(40),
            retries: retries,
            onRetry: (attempt, reason, delay) => seen.Add((attempt, reason, delay)),
            randomizer: randomizer);
        return (policy, seen);
    }

    [Fact]
    public async Task A_delivered_alert_is_tried_once()
    {
        var (policy, retries) = Policy(retries: 5);
        var channel = new FlakyChannel(failures: 0);

        var delivery = await policy.DeliverAsync(channel, SampleAlerts.NpmToken, CancellationToken.None);

        Assert.True(delivery.Succeeded);
        Assert.Equal(1, channel.Attempts);
        Assert.Empty(retries);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_until_it_delivers()
    {
        var (policy, retries) = Policy(retries: 5);
        var channel = new FlakyChannel(failures: 3);

        var delivery = await policy.DeliverAsync(channel, SampleAlerts.NpmToken, CancellationToken.None);

        Assert.True(delivery.Succeeded);
        Assert.Equal(4, channel.Attempts);
        Assert.Equal(["down (1)", "down (2)", "down (3)"], retries.Select(r => r.Reason));
    }

    [Fact]
    public async Task Attempts_are_bounded_and_the_last_failure_is_returned()
    {
        var (policy, retries) = Policy(retries: 4);
        var channel = new FlakyChannel(failures: int.MaxValue);

        var delivery = await policy.DeliverAsync(channel, SampleAlerts.NpmToken, CancellationToken.None);

        Assert.Equal(5, channel.Attempts);
        Assert.Equal("down (5)", delivery.FailureReason);
        Assert.Equal([0, 1, 2, 3], retries.Select(r => r.Attempt));
    }

    [Fact]
    public async Task Waits_grow_exponentially_and_never_exceed_the_longest_delay()
    {
        // Long enough that the cap is reached within the schedule.
        var (policy, retries) = Policy(retries: 8, randomizer: () => 0.5, longest: TimeSpan.FromMilliseconds(60));

        await policy.DeliverAsync(new FlakyChannel(int.MaxValue), SampleAlerts.NpmToken, CancellationToken.None);

        var delays = retries.Select(r => r.Delay).ToList();
        Assert.Equal(8, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(60)));
        Assert.True(delays[3] > delays[0] * 2, $"expected growth, got {string.Join(", ", delays)}");
        Assert.Equal(TimeSpan.FromMilliseconds(60), delays[^1]);
    }

    [Fact]
    public void The_outbox_delay_doubles_per_failure_up_to_the_longest_delay()
    {
        var policy = new AlertRetryPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), randomizer: () => 0.999);

        Assert.InRange(policy.DelayAfter(1), TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2));
        Assert.InRange(policy.DelayAfter(3), TimeSpan.FromSeconds(7.9), TimeSpan.FromSeconds(8));
        Assert.InRange(policy.DelayAfter(50), TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1));
        Assert.InRange(new AlertRetryPolicy(randomizer: () => 0).DelayAfter(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Jitter_spreads_the_waits_of_alerts_retried_together()
    {
        var (first, firstRetries) = Policy(retries: 3, randomizer: () => 0.1);
        var (second, secondRetries) = Policy(retries: 3, randomizer: () => 0.9);

        await first.DeliverAsync(new FlakyChannel(int.MaxValue), SampleAlerts.NpmToken, CancellationToken.None);
        await second.DeliverAsync(new FlakyChannel(int.MaxValue), SampleAlerts.NpmToken, CancellationToken.None);

        Assert.NotEqual(firstRetries.Select(r => r.Delay), secondRetries.Select(r => r.Delay));
    }

    [Fact]
    public void The_default_policy_is_bounded()
    {
        var policy = new AlertRetryPolicy();

        Assert.Equal(AlertRetryPolicy.DefaultRetries, policy.Retries);
        Assert.Equal(TimeSpan.FromMinutes(1), policy.LongestDelay);
    }

    [Fact]
    public void A_policy_without_retries_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlertRetryPolicy(retries: 0));
    }
}
