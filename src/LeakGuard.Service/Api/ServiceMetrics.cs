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

    public void ScanCompleted(long bytes, int newFindings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(newFindings);
        Interlocked.Increment(ref scans);
        Interlocked.Add(ref bytesScanned, bytes);
        Interlocked.Add(ref findings, newFindings);
    }

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
        Metric(text, "leakguard_scans_total", "counter", "Scans completed (one per new version or commit).", Interlocked.Read(ref scans));
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
