namespace LeakGuard.Core.Scanning;

/// <summary>Caps the file bytes held by all workers at once; one item larger than the whole
/// budget still runs, alone. Far from the budget it takes no lock: under it, workers only
/// add and subtract (a lock taken for every file cost 5 % of a scan in contention); a worker
/// that must wait does so under the lock, and a release wakes waiters only when there are some.</summary>
internal sealed class MemoryGate(long budget)
{
    private readonly object _lock = new();
    private long _inFlight;
    private int _waiting;

    public void Acquire(long bytes)
    {
        if (TryTake(bytes))
        {
            return;
        }
        lock (_lock)
        {
            // Counted before the check, so a release after the check sees a waiter to wake.
            Interlocked.Increment(ref _waiting);
            try
            {
                while (!TryTake(bytes))
                {
                    Monitor.Wait(_lock);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
    }

    public void Release(long bytes)
    {
        Interlocked.Add(ref _inFlight, -bytes);
        if (Volatile.Read(ref _waiting) > 0)
        {
            lock (_lock)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    private bool TryTake(long bytes)
    {
        long current = Volatile.Read(ref _inFlight);
        while (current == 0 || current + bytes <= budget)
        {
            long seen = Interlocked.CompareExchange(ref _inFlight, current + bytes, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
        return false;
    }
}
