using LeakGuard.Service.Alerts;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class AlertRetryPolicyTests
{
    [Fact]
    public void The_default_schedule_waits_one_to_two_seconds_first_then_doubles_up_to_a_minute()
    {
        var shortest = new AlertRetryPolicy(randomizer: () => 0);
        var longest = new AlertRetryPolicy(randomizer: () => 1);

        Assert.Equal(
            [1, 2, 4, 8, 16, 30, 30],
            Enumerable.Range(1, 7).Select(n => shortest.DelayAfter(n).TotalSeconds));
        Assert.Equal(
            [2, 4, 8, 16, 32, 60, 60],
            Enumerable.Range(1, 7).Select(n => longest.DelayAfter(n).TotalSeconds));
    }

    [Fact]
    public void No_wait_passes_the_longest_delay_however_many_attempts_failed()
    {
        var policy = new AlertRetryPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), randomizer: () => 0.999);

        Assert.InRange(policy.DelayAfter(50), TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1));
        Assert.InRange(policy.DelayAfter(int.MaxValue), TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Jitter_spreads_the_waits_of_alerts_that_failed_together()
    {
        var early = new AlertRetryPolicy(randomizer: () => 0.1);
        var late = new AlertRetryPolicy(randomizer: () => 0.9);

        Assert.All(Enumerable.Range(1, 8), n => Assert.True(early.DelayAfter(n) < late.DelayAfter(n)));
    }

    [Fact]
    public void The_default_policy_starts_at_two_seconds_and_stops_growing_at_a_minute()
    {
        var policy = new AlertRetryPolicy();

        Assert.Equal(TimeSpan.FromSeconds(2), policy.FirstDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), policy.LongestDelay);
        Assert.InRange(policy.DelayAfter(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_schedule_that_cannot_be_kept_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlertRetryPolicy(firstDelay: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlertRetryPolicy(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlertRetryPolicy().DelayAfter(0));
    }
}
