using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Suppression;

/// <summary>A scan result without its suppressed findings, and how many each mechanism removed.</summary>
public sealed record FilteredScan(ScanResult Result, int RemovedByIgnoreFile, int RemovedByBaseline)
{
    public int Removed => RemovedByIgnoreFile + RemovedByBaseline;
}
