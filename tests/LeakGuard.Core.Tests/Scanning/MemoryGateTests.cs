using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Tests.Scanning;

public class MemoryGateTests
{
    [Fact]
    public async Task Workers_never_hold_more_than_the_budget_and_every_waiter_is_woken()
    {
        var gate = new MemoryGate(100);
        long held = 0, peak = 0;
        // Threads of their own: the pool would start only as many as there are cores.
        var workers = Enumerable.Range(0, 8).Select(seed => Task.Factory.StartNew(() =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 200; i++)
            {
                long bytes = random.Next(1, 70);
                gate.Acquire(bytes);
                long now = Interlocked.Add(ref held, bytes);
                for (long seen = Volatile.Read(ref peak); now > seen; seen = Volatile.Read(ref peak))
                {
                    Interlocked.CompareExchange(ref peak, now, seen);
                }
                Thread.Sleep(1);   // held long enough for the others to pile up
                Interlocked.Add(ref held, -bytes);
                gate.Release(bytes);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        // A lost wake-up leaves a worker waiting for good (a TimeoutException here); the bound only
        // keeps the run finite.
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.InRange(peak, 1, 100);
    }

    [Fact]
    public async Task An_item_larger_than_the_budget_runs_alone()
    {
        var gate = new MemoryGate(100);
        gate.Acquire(150);
        var next = Task.Run(() => gate.Acquire(10));
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(200)));
        gate.Release(150);
        await next.WaitAsync(TimeSpan.FromMinutes(1));
    }
}
