using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace LeakGuard.Service.Api;

/// <summary>
/// The few numbers an operator graphs, kept in memory and written in Prometheus text format.
/// The worker updates them; <c>GET /metrics</c> reads them. Counters reset with the process,
/// which Prometheus's <c>rate()</c> expects.
/// </summary>
public sealed class ServiceMetrics
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastSuccessByTarget = new(StringComparer.Ordinal);
    private long scans;
    private long bytesScanned;
    private long findings;
    private long alertBacklog;
    private long queued;

    /// <summary>Upper bounds (seconds) of the scan-duration histogram's buckets: a small release
    /// takes well under a second, a large map or a first git clone minutes.</summary>
    private static readonly double[] DurationBuckets = [0.1, 0.5, 1, 5, 15, 60, 300];

    private readonly long[] durationCounts = new long[DurationBuckets.Length];
    private readonly Lock durationLock = new();
    private double durationSum;

    /// <param name="seconds">How long the scan took, waiting for the scanner not included.</param>
    public void ScanCompleted(long bytes, int newFindings, double seconds = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(newFindings);
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        Interlocked.Add(ref bytesScanned, bytes);
        Interlocked.Add(ref findings, newFindings);
        lock (durationLock)
        {
            scans++;
            durationSum += seconds;
            for (int i = 0; i < DurationBuckets.Length; i++)
            {
                durationCounts[i] += seconds <= DurationBuckets[i] ? 1 : 0;
            }
        }
    }

    /// <summary>A scan waits for one of this silo's scan slots: its queue grows.</summary>
    public void ScanQueued() => Interlocked.Increment(ref queued);

    /// <summary>A scan got a slot, or gave up waiting.</summary>
    public void ScanDequeued() => Interlocked.Decrement(ref queued);

    /// <summary>A poll that listed the target and scanned all it found new, which may be nothing:
    /// a quiet package is not a stale one.</summary>
    public void PollSucceeded(string target, DateTimeOffset at) => lastSuccessByTarget[target] = at;

    /// <summary>Alerts waiting in the outbox; set from the store, which knows the true count.</summary>
    public void SetAlertBacklog(long pending)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pending);
        Interlocked.Exchange(ref alertBacklog, pending);
    }

    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        long scanCount;
        double sum;
        long[] counts;
        lock (durationLock)
        {
            (scanCount, sum, counts) = (scans, durationSum, [.. durationCounts]);
        }
        Metric(text, "leakguard_scans_total", "counter", "Scans completed (one per new version or commit).", scanCount);
        text.Append("# HELP leakguard_scan_duration_seconds How long each scan took, waiting for the scanner not included.\n");
        text.Append("# TYPE leakguard_scan_duration_seconds histogram\n");
        for (int i = 0; i < DurationBuckets.Length; i++)
        {
            text.Append($"leakguard_scan_duration_seconds_bucket{{le=\"{DurationBuckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {counts[i].ToString(CultureInfo.InvariantCulture)}\n");
        }
        text.Append($"leakguard_scan_duration_seconds_bucket{{le=\"+Inf\"}} {scanCount.ToString(CultureInfo.InvariantCulture)}\n");
        text.Append($"leakguard_scan_duration_seconds_sum {sum.ToString("0.###", CultureInfo.InvariantCulture)}\n");
        text.Append($"leakguard_scan_duration_seconds_count {scanCount.ToString(CultureInfo.InvariantCulture)}\n");
        Metric(text, "leakguard_scan_queue_depth", "gauge", "Scans waiting for one of this silo's scan slots.", Interlocked.Read(ref queued));
        Metric(text, "leakguard_scanned_bytes_total", "counter", "Bytes scanned.", Interlocked.Read(ref bytesScanned));
        Metric(text, "leakguard_findings_total", "counter", "New findings.", Interlocked.Read(ref findings));
        Metric(text, "leakguard_alert_backlog", "gauge", "Alerts waiting for delivery.", Interlocked.Read(ref alertBacklog));
        text.Append("# HELP leakguard_target_last_success_timestamp_seconds When each target was last polled successfully, everything new in it scanned (Unix time).\n");
        text.Append("# TYPE leakguard_target_last_success_timestamp_seconds gauge\n");
        // Sorted so scrapes are stable and diffable.
        foreach (var (target, at) in lastSuccessByTarget.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append($"leakguard_target_last_success_timestamp_seconds{{target=\"{EscapeLabel(target)}\"}} ")
                .Append((at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture))
                .Append('\n');
        }
        return text.ToString();
    }

    private static void Metric(StringBuilder text, string name, string type, string help, long value) =>
        text.Append($"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value.ToString(CultureInfo.InvariantCulture)}\n");

    /// <summary>The exposition format's label escapes: backslash, double quote and newline.</summary>
    private static string EscapeLabel(string value) => value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");
}
