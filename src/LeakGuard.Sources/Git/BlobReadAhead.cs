using System.Buffers;
using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// Reads a history's blobs ahead of the workers, in the order they are offered, through
/// <c>git cat-file --batch</c> on threads of their own: git inflates while the workers match. Each
/// of the (at most two) readers takes runs of <see cref="Stripe"/> consecutive blobs in turn, so
/// each process walks the history in order and keeps its delta-base cache warm. (A process per
/// worker, each asked for every other blob, inflated the same bases again and again: 12.7 s of
/// waiting for 1 GB in 20,000 blobs, against 2.7 s for one process and 1.8 s for two on runs of 64.)
/// <para>At most a budget of bytes (<see cref="DefaultBudget"/>) waits. A worker whose blob is not waiting for it — git
/// failed on it, or it was set aside to make room for a blob a worker asks for — gets null and reads
/// it itself, so a blob nobody asks for (a scan cut short) never stalls the rest.</para>
/// </summary>
internal sealed class BlobReadAhead : IDisposable
{
    /// <summary>Bytes read and not yet taken, at most, unless told otherwise.</summary>
    public const long DefaultBudget = 32 << 20;

    /// <summary>Larger blobs are not read ahead: each would hold the budget alone.</summary>
    public const long LargestBlob = 4 << 20;

    /// <summary>Consecutive blobs one reader reads before the next reader's run.</summary>
    private const int Stripe = 64;

    private readonly object _gate = new();
    private readonly IReadOnlyList<ObjectId> _order;
    private readonly Dictionary<ObjectId, int> _positions;
    private readonly Dictionary<ObjectId, ArraySegment<byte>> _ready = [];

    /// <summary>Where blobs are read into and go back to once scanned: memory used again instead of
    /// fresh memory, whose first touch costs a page fault (about 3 ms a MiB on this kind of VM;
    /// 1 GB of history is 1 GB of blobs).</summary>
    private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create((int)LargestBlob, 1024);
    private readonly CatFileProcess[] _git;
    private readonly Thread[] _threads;
    /// <summary>Per reader, what it may hold: its share of the budget, so that a reader running
    /// ahead cannot take the room another one needs for the blob a worker waits for.</summary>
    private readonly long _share;
    /// <summary>Per reader, the bytes it read that wait in <see cref="_ready"/>.</summary>
    private readonly long[] _readyBytes;
    /// <summary>Per reader, the ids it read in order (ids taken since are skipped when met).</summary>
    private readonly Queue<ObjectId>[] _readOrder;
    /// <summary>Per reader, the position of the next blob it reads; every one of its blobs before
    /// it is read or given up.</summary>
    private readonly int[] _next;
    private bool _stopped;

    private BlobReadAhead(CatFileProcess[] git, IReadOnlyList<ObjectId> order, long budget)
    {
        _git = git;
        _share = Math.Max(1, budget / git.Length);
        _order = order;
        _positions = new Dictionary<ObjectId, int>(order.Count);
        for (int i = 0; i < order.Count; i++)
        {
            _positions.TryAdd(order[i], i);
        }
        _next = new int[git.Length];
        _readyBytes = new long[git.Length];
        _readOrder = [.. git.Select(_ => new Queue<ObjectId>())];
        _threads = new Thread[git.Length];
        for (int reader = 0; reader < git.Length; reader++)
        {
            int which = reader;
            _next[which] = which * Stripe;
            _threads[which] = new Thread(() => ReadAll(which)) { IsBackground = true, Name = "leakguard git read-ahead" };
            _threads[which].Start();
        }
    }

    /// <summary>Starts reading <paramref name="order"/>; null when git cannot be started (workers then read every blob themselves).</summary>
    public static BlobReadAhead? Start(string gitDirectory, IReadOnlyList<ObjectId> order, long budget = DefaultBudget)
    {
        if (order.Count == 0)
        {
            return null;
        }
        int readers = Math.Clamp(Math.Min(Environment.ProcessorCount, (order.Count + Stripe - 1) / Stripe), 1, 2);
        var git = new List<CatFileProcess>(readers);
        for (int i = 0; i < readers && CatFileProcess.TryStart(gitDirectory) is { } process; i++)
        {
            git.Add(process);
        }
        return git.Count == 0 ? null : new BlobReadAhead([.. git], order, budget);
    }

    private int ReaderOf(int position) => position / Stripe % _git.Length;

    /// <summary>The blob's bytes once read, handed over once (disposing the stream gives its memory
    /// back); null when it is not read ahead (not in the order, already taken, set aside, or git
    /// could not read it).</summary>
    public Stream? Take(ObjectId blob)
    {
        if (!_positions.TryGetValue(blob, out int position))
        {
            return null;
        }
        int reader = ReaderOf(position);
        lock (_gate)
        {
            while (true)
            {
                if (_ready.Remove(blob, out var bytes))
                {
                    _readyBytes[reader] -= bytes.Count;
                    Monitor.PulseAll(_gate);
                    return new PooledStream(bytes, this);
                }
                if (_stopped || _next[reader] > position)
                {
                    return null;
                }
                if (_readyBytes[reader] >= _share)
                {
                    // The reader waits for room that blobs before this one hold: set the oldest
                    // aside (its worker, if any, reads it itself) rather than wait for each other.
                    SetOldestAside(reader);
                    continue;
                }
                Monitor.Wait(_gate);
            }
        }
    }

    private void SetOldestAside(int reader)
    {
        while (_readOrder[reader].TryDequeue(out var oldest))
        {
            if (_ready.Remove(oldest, out var bytes))
            {
                _readyBytes[reader] -= bytes.Count;
                GiveBack(bytes.Array!);
                Monitor.PulseAll(_gate);
                return;
            }
        }
    }

    private void ReadAll(int reader)
    {
        try
        {
            for (int i = _next[reader]; i < _order.Count; i = Following(i))
            {
                lock (_gate)
                {
                    while (!_stopped && _readyBytes[reader] >= _share)
                    {
                        Monitor.Wait(_gate);
                    }
                    if (_stopped)
                    {
                        return;
                    }
                }
                // Null: git has no such blob; its worker reads it through libgit2, which says why.
                var read = _git[reader].ReadPooled(_order[i].Sha, _pool);
                lock (_gate)
                {
                    if (read is { } bytes && _ready.TryAdd(_order[i], bytes))
                    {
                        _readyBytes[reader] += bytes.Count;
                        _readOrder[reader].Enqueue(_order[i]);
                    }
                    _next[reader] = Following(i);
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // git stopped answering (or was stopped): the workers read what is left themselves.
        }
        finally
        {
            lock (_gate)
            {
                // What this reader did not read, its workers read themselves.
                _next[reader] = int.MaxValue;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>The position a reader reads after <paramref name="position"/>: the next in its run, or the start of its next run.</summary>
    private int Following(int position) =>
        (position + 1) % Stripe != 0 ? position + 1 : position + 1 + (_git.Length - 1) * Stripe;

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            _ready.Clear();
            Monitor.PulseAll(_gate);
        }
        // The threads stop after the read in progress (a few MiB at most); git stopped then
        // ends one that does not return.
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
        foreach (var git in _git)
        {
            git.Dispose();
        }
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>An empty blob's array is the pool's shared empty one, which is not given back.</summary>
    private void GiveBack(byte[] array)
    {
        if (array.Length > 0)
        {
            _pool.Return(array);
        }
    }

    /// <summary>A blob's bytes that go back to the pool when the stream is disposed.</summary>
    private sealed class PooledStream(ArraySegment<byte> bytes, BlobReadAhead owner)
        : MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
    {
        private byte[]? _rented = bytes.Array;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _rented, null) is { } rented)
            {
                owner.GiveBack(rented);
            }
            base.Dispose(disposing);
        }
    }
}
