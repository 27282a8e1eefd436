using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using LeakGuard.Storage;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// What a "no second alert" assertion must wait for, instead of a fixed sleep: evidence that the
/// worker finished a whole poll that began after a given moment, and that the store's outbox then
/// held nothing undelivered. An alert that poll raised is recorded in the outbox before the poll
/// ends, and a row leaves the backlog only once the receiver has answered it, so after this returns
/// any duplicate the poll produced is already in the receiver's bodies.
/// </summary>
internal static class PollEvidence
{
    private const string LastSuccess = "leakguard_target_last_success_timestamp_seconds{";

    /// <param name="apiPort">The worker's API port: its /metrics says when each target last finished a poll.</param>
    /// <param name="store">The worker's store, as its configuration names it.</param>
    public static void WaitForPollAndDelivery(WatchProcess worker, int apiPort, string store, DateTimeOffset since, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WatchProcess.ApiKey);

        // A poll that ended after `since` may have begun before it; the one that ends after that
        // one began after it, since a target's polls run one at a time.
        var first = WaitForPollEndingAfter(http, worker, since, deadline, timeout);
        WaitForPollEndingAfter(http, worker, first, deadline, timeout);

        var opened = StoreFactory.OpenAsync(store).GetAwaiter().GetResult();
        try
        {
            long backlog;
            while ((backlog = opened.CountBacklogAsync().GetAwaiter().GetResult()) > 0)
            {
                Assert.True(deadline.Elapsed < timeout, $"the outbox still holds {backlog} undelivered alerts after {timeout}; log:\n{worker.Log}");
                Thread.Sleep(100);
            }
        }
        finally
        {
            opened.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static DateTimeOffset WaitForPollEndingAfter(HttpClient http, WatchProcess worker, DateTimeOffset after, Stopwatch deadline, TimeSpan timeout)
    {
        while (true)
        {
            var latest = LatestPollEnd(http);
            if (latest > after)
            {
                return latest.Value;
            }
            Assert.True(deadline.Elapsed < timeout,
                $"no poll finished after {after:O} within {timeout} (last: {latest?.ToString("O") ?? "none"}); log:\n{worker.Log}");
            Thread.Sleep(100);
        }
    }

    /// <summary>The latest last-success timestamp of any target, or null before the first poll ends.</summary>
    private static DateTimeOffset? LatestPollEnd(HttpClient http)
    {
        string metrics;
        try
        {
            metrics = http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
        DateTimeOffset? latest = null;
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith(LastSuccess, StringComparison.Ordinal))
            {
                double seconds = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                var at = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
                latest = latest is null || at > latest ? at : latest;
            }
        }
        return latest;
    }
}
