using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Scanning;

/// <summary>Counters of one scan, safe to bump from every worker.</summary>
public sealed class ScanStats
{
    private long _blobs;
    private long _bytes;
    private long _binarySkipped;
    private long _suppressed;

    public long Blobs => Interlocked.Read(ref _blobs);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long BinarySkipped => Interlocked.Read(ref _binarySkipped);

    /// <summary>Matches dropped by an inline leakguard:allow / gitleaks:allow comment.</summary>
    public long InlineSuppressed => Interlocked.Read(ref _suppressed);

    public double Seconds { get; set; }

    internal void CountBlob(long bytes)
    {
        Interlocked.Increment(ref _blobs);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void CountBinary() => Interlocked.Increment(ref _binarySkipped);

    internal void CountSuppressed() => Interlocked.Increment(ref _suppressed);
}

/// <summary>Everything a scan produced, findings in a stable order.</summary>
public sealed record ScanResult(string Engine, IReadOnlyList<Finding> Findings, IReadOnlyList<ScanWarning> Warnings, ScanStats Stats)
{
    /// <summary>What the report should say about the scan as a whole (findings over a limit).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
