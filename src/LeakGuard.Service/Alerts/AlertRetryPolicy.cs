using Polly;
using Polly.Retry;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// How one alert's delivery is retried: exponential backoff with jitter (so many alerts to one
/// receiver that just came back do not arrive in lock-step), each wait capped, attempts bounded.
/// The delivery loop runs each outbox entry through <see cref="Pipeline"/>; an alert still failing
/// after the last attempt stays in the outbox for the loop's next pass.
/// </summary>
public sealed class AlertRetryPolicy
{
    public static readonly TimeSpan DefaultFirstDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultLongestDelay = TimeSpan.FromMinutes(1);
    public const int DefaultRetries = 6;

    private readonly TimeSpan firstDelay;
    private readonly Func<double> randomizer;

    /// <param name="onRetry">Told each failure before its wait: attempt number (0 first), reason and the wait chosen.</param>
    /// <param name="randomizer">Jitter source, in [0, 1); tests pin it to get a fixed schedule.</param>
    public AlertRetryPolicy(
        TimeSpan? firstDelay = null,
        TimeSpan? longestDelay = null,
        int retries = DefaultRetries,
        Action<int, string, TimeSpan>? onRetry = null,
        Func<double>? randomizer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retries, 1);
        var options = new RetryStrategyOptions<AlertDelivery>
        {
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = firstDelay ?? DefaultFirstDelay,
            MaxDelay = longestDelay ?? DefaultLongestDelay,
            MaxRetryAttempts = retries,
            ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Result is { Succeeded: false }),
            OnRetry = arguments =>
            {
                onRetry?.Invoke(arguments.AttemptNumber, arguments.Outcome.Result?.FailureReason ?? "", arguments.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };
        if (randomizer is not null)
        {
            options.Randomizer = randomizer;
        }
        Retries = retries;
        this.firstDelay = options.Delay;
        this.randomizer = randomizer ?? Random.Shared.NextDouble;
        LongestDelay = options.MaxDelay.Value;
        Pipeline = new ResiliencePipelineBuilder<AlertDelivery>().AddRetry(options).Build();
    }

    public int Retries { get; }

    /// <summary>How long the delivery loop waits before the next attempt at an outbox message that
    /// has failed <paramref name="failedAttempts"/> times: the same exponential, capped, jittered
    /// schedule as <see cref="Pipeline"/>, but kept in the store so it survives a restart.</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        double exponential = firstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        double capped = Math.Min(exponential, LongestDelay.TotalMilliseconds);
        // Full jitter between half and all of the wait: receivers that come back are not hit in lock-step.
        return TimeSpan.FromMilliseconds(capped * (0.5 + (randomizer() / 2)));
    }

    public TimeSpan LongestDelay { get; }

    public ResiliencePipeline<AlertDelivery> Pipeline { get; }

    /// <summary>Delivers through the pipeline; returns the last attempt's result.</summary>
    public ValueTask<AlertDelivery> DeliverAsync(IAlertChannel channel, Alert alert, CancellationToken cancellationToken) =>
        Pipeline.ExecuteAsync(
            static async (state, token) => await state.channel.DeliverAsync(state.alert, token),
            (channel, alert),
            cancellationToken);
}
