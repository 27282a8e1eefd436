namespace LeakGuard.Core.Scanning;

/// <summary>Caps the file bytes held by all workers at once; one item larger than the whole
/// budget still runs, alone.</summary>
internal sealed class MemoryGate(long budget)
{
    private readonly object _lock = new();
    private long _inFlight;

    public void Acquire(long bytes)
    {
        lock (_lock)
        {
            while (_inFlight > 0 && _inFlight + bytes > budget)
            {
                Monitor.Wait(_lock);
            }
            _inFlight += bytes;
        }
    }

    public void Release(long bytes)
    {
        lock (_lock)
        {
            _inFlight -= bytes;
            Monitor.PulseAll(_lock);
        }
    }
}
