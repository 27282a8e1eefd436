namespace LeakGuard.Service.Alerts;

/// <summary>
/// When an alert that failed is tried again: exponential backoff with jitter, each wait capped.
/// The delivery loop makes one attempt per claimed outbox message and writes the next attempt time
/// from <see cref="DelayAfter"/> back to the store, so the schedule survives a restart; retries are
/// not bounded, because a message stays in the outbox until it is delivered.
/// </summary>
public sealed class AlertRetryPolicy
{
    public static readonly TimeSpan DefaultFirstDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultLongestDelay = TimeSpan.FromMinutes(1);

    private readonly Func<double> randomizer;

    /// <param name="firstDelay">The wait before the first retry, before jitter takes up to half of it.</param>
    /// <param name="longestDelay">The cap on any wait, before jitter.</param>
    /// <param name="randomizer">Jitter source, in [0, 1); tests pin it to get a fixed schedule.</param>
    public AlertRetryPolicy(TimeSpan? firstDelay = null, TimeSpan? longestDelay = null, Func<double>? randomizer = null)
    {
        FirstDelay = firstDelay ?? DefaultFirstDelay;
        LongestDelay = longestDelay ?? DefaultLongestDelay;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FirstDelay, TimeSpan.Zero, nameof(firstDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(LongestDelay, FirstDelay, nameof(longestDelay));
        this.randomizer = randomizer ?? Random.Shared.NextDouble;
    }

    public TimeSpan FirstDelay { get; }

    public TimeSpan LongestDelay { get; }

    /// <summary>How long to wait before the next attempt at a message that has failed
    /// <paramref name="failedAttempts"/> times: <see cref="FirstDelay"/> doubled per earlier
    /// failure, capped at <see cref="LongestDelay"/>, then a random half to all of that (with the
    /// defaults: 1–2 s, 2–4 s, 4–8 s, … and 30 s–1 min from the sixth failure on).</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        double exponential = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        double capped = Math.Min(exponential, LongestDelay.TotalMilliseconds);
        // Jitter takes away up to half, so receivers that come back are not hit in lock-step, and no wait passes the cap.
        return TimeSpan.FromMilliseconds(capped * (0.5 + (randomizer() / 2)));
    }
}
