namespace LeakGuard.Core.Scanning;

/// <summary>Sees every file and archive member a scan reaches (never decoded text), before it is
/// expanded. For whoever needs to know what a release holds, without taking part in the scan.
/// Called from every scanning thread at once.</summary>
public interface IBlobObserver
{
    void Observe(Blob blob);
}
