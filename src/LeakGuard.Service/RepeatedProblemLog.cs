using Serilog;

namespace LeakGuard.Service;

/// <summary>
/// Logs a problem that keeps coming back once, not on every attempt: a registry that is down is
/// polled every few seconds and a receiver that answers 500 is tried for every alert, and a log
/// repeating the same line thousands of times hides everything else in it. Per key (a target, an
/// alert channel): the first failure is a warning; failures for the same reason are only counted;
/// a different reason is a warning again; the first success after failures is one information
/// line with the count. Safe to share between threads.
/// </summary>
public sealed class RepeatedProblemLog
{
    private readonly ILogger logger;
    private readonly string failedTemplate;
    private readonly string changedTemplate;
    private readonly string recoveredOnceTemplate;
    private readonly string recoveredTemplate;
    private readonly Dictionary<string, Failing> failing = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <param name="activity">What fails, as the log names it: <c>polling</c>, <c>alert delivery</c>.</param>
    /// <param name="attempt">One try of it, singular: <c>poll</c>, <c>attempt</c>.</param>
    public RepeatedProblemLog(ILogger logger, string activity, string attempt)
    {
        this.logger = logger;
        // The wording is fixed per instance, so each template stays one constant event type for log queries.
        failedTemplate = $"{{Name}}: {activity} failed: {{Reason}} (logged again when the reason changes)";
        changedTemplate = $"{{Name}}: {activity} failed: {{Reason}} (until now: {{Previous}})";
        recoveredOnceTemplate = $"{{Name}}: {activity} works again after {{Count}} failed {attempt}";
        recoveredTemplate = $"{{Name}}: {activity} works again after {{Count}} failed {attempt}s";
    }

    /// <summary>Records one failure of <paramref name="key"/>, named <paramref name="name"/> in the log.</summary>
    /// <param name="key">Tells apart what may share a name (two Slack channels are both <c>slack https://hooks.slack.com</c>).</param>
    public void Failed(string key, string name, string reason)
    {
        lock (gate)
        {
            if (!failing.TryGetValue(key, out var state))
            {
                failing[key] = new Failing(reason, 1);
                logger.Warning(failedTemplate, name, reason);
                return;
            }
            if (state.Reason == reason)
            {
                failing[key] = state with { Count = state.Count + 1 };
                return;
            }
            failing[key] = new Failing(reason, state.Count + 1);
            logger.Warning(changedTemplate, name, reason, state.Reason);
        }
    }

    /// <summary>Records a success of <paramref name="key"/>; logs it only when it ends a run of failures.</summary>
    public void Succeeded(string key, string name)
    {
        lock (gate)
        {
            if (failing.Remove(key, out var state))
            {
                logger.Information(state.Count == 1 ? recoveredOnceTemplate : recoveredTemplate, name, state.Count);
            }
        }
    }

    private readonly record struct Failing(string Reason, int Count);
}
