using System.Collections.Concurrent;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Protection;

namespace LeakGuard.Core.Scanning;

/// <summary>Spreading one input over the cores the run has free: its members (<see cref="MemberQueue"/>)
/// and a large blob's decoding (<see cref="DecodedAhead"/>).</summary>
public sealed partial class Scanner
{
    /// <summary>How many of the run's threads are at work: a worker scanning an item takes one
    /// unconditionally, a helper only when one is free.</summary>
    private sealed class CoreCount(int threads)
    {
        private int _busy;

        public void Take() => Interlocked.Increment(ref _busy);

        public void Give() => Interlocked.Decrement(ref _busy);

        public bool AnyFree => Volatile.Read(ref _busy) < threads;

        public bool TryTake()
        {
            for (int busy = Volatile.Read(ref _busy); busy < threads; busy = Volatile.Read(ref _busy))
            {
                if (Interlocked.CompareExchange(ref _busy, busy + 1, busy) == busy)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>
    /// The members of one top-level item whose matching and decoding wait for a free core: a
    /// .tgz's files, a map's sources. Their expansion stays with the item's worker, depth-first
    /// (budgets and release context are its own), so only the work that needs nothing but the
    /// member's bytes moves. A helper (a thread the run is not using) takes members off the queue
    /// until it is empty; the item's worker takes what is left before the item is done. What
    /// waits is bounded (<see cref="MaxWaitingBytes"/>): past it the worker matches at once.
    /// </summary>
    private sealed class MemberQueue
    {
        /// <summary>Bytes of members waiting at most (with their <see cref="Overhead"/>), unless one member alone is larger.</summary>
        public const long MaxWaitingBytes = 16 * ScanOptions.MiB;

        /// <summary>A helper starts once this much waits (or one member this large): small members
        /// go in batches, not one thread wake-up each.</summary>
        public const long HelpFrom = ScanOptions.MiB;

        /// <summary>What a waiting member costs besides its bytes (its blob, its scan state), so a
        /// zip of 100,000 empty files does not queue them all.</summary>
        private const long Overhead = 4 * 1024;

        private readonly ConcurrentQueue<Waiting> _queue = new();
        private readonly List<Task> _helpers = [];
        private readonly object _lock = new();
        private readonly List<Finding> _findings = [];
        private readonly List<(Blob Blob, ProtectedMatch Match)> _protectedMatches = [];
        private long _waitingBytes;
        private int _helping;

        public readonly record struct Waiting(BlobScan Scan, (int Start, int End) Expanded, Action? Release);

        /// <summary>Queues a member unless too much waits; starts a helper when enough does and a
        /// core is free. Called by the item's worker only.</summary>
        public bool TryAdd(ScanRun run, Waiting member)
        {
            long size = Cost(member);
            long waiting = Interlocked.Read(ref _waitingBytes);
            if (waiting > 0 && waiting + size > MaxWaitingBytes)
            {
                return false;
            }
            if (Volatile.Read(ref _helping) == 0 && !run.Cores.AnyFree)
            {
                return false;
            }
            // A member large enough to be decoded on a core of its own, met while no helper is at
            // work, is matched by the worker: a helper would take the free core, match the member
            // and then decode it, while the worker waited for it at the end of the item (a 52 MB
            // bundle after its map: ~100 ms of one core idle).
            if (waiting == 0 && member.Scan.Blob.Content.Length >= DecodedAhead.From && Volatile.Read(ref _helping) == 0)
            {
                return false;
            }
            waiting = Interlocked.Add(ref _waitingBytes, size);
            _queue.Enqueue(member);
            if (waiting >= HelpFrom && Volatile.Read(ref _helping) == 0 && run.Cores.TryTake())
            {
                Interlocked.Increment(ref _helping);
                // A thread of its own, not a pool thread: a scan run from the pool (the service, a
                // test host) may find the pool busy, and a helper that starts late finds nothing left.
                _helpers.Add(Task.Factory.StartNew(() => Help(run), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            return true;
        }

        private void Help(ScanRun run)
        {
            var worker = run.IdleHelpers.TryTake(out var idle) ? idle : new Worker(run);
            try
            {
                while (TryTake(out var member))
                {
                    worker.MatchWaiting(member);
                }
            }
            finally
            {
                lock (_lock)
                {
                    worker.HandOver(_findings, _protectedMatches);
                }
                Interlocked.Decrement(ref _helping);
                run.Cores.Give();
                run.IdleHelpers.Add(worker);
            }
        }

        private bool TryTake(out Waiting member)
        {
            if (!_queue.TryDequeue(out member))
            {
                return false;
            }
            Interlocked.Add(ref _waitingBytes, -Cost(member));
            return true;
        }

        private static long Cost(Waiting member) => member.Scan.Blob.Content.Length + Overhead;

        /// <summary>Matches what still waits on <paramref name="worker"/> (the item's own), waits
        /// for the helpers and hands their findings over to it.</summary>
        public void Finish(Worker worker)
        {
            try
            {
                while (TryTake(out var member))
                {
                    worker.MatchWaiting(member);
                }
            }
            catch
            {
                Abandon();
                throw;
            }
            WaitForHelpers();
            worker.TakeOver(_findings, _protectedMatches);
        }

        /// <summary>The item failed (cancelled): drops what waits, returning its buffers, and waits
        /// for the helpers, so nothing reads the item's bytes once they are released. Called once
        /// the item's worker will queue nothing more.</summary>
        public void Abandon()
        {
            while (TryTake(out var member))
            {
                member.Release?.Invoke();
            }
            try
            {
                WaitForHelpers();
            }
            catch (Exception)
            {
                // The item's own exception is the one that propagates.
            }
        }

        private void WaitForHelpers()
        {
            try
            {
                Task.WaitAll(_helpers);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
    }

    /// <summary>
    /// The text a large blob's decoders produce (JSON and percent escapes rewritten, base64 runs
    /// decoded: a third or more of its cost), made on a free core while the blob's own text is
    /// matched. Only the production moves: the decoded views are matched afterwards in the same
    /// order as always, so which view reports a secret first does not change.
    /// </summary>
    private sealed class DecodedAhead
    {
        /// <summary>Blobs from this size have their decoding produced ahead.</summary>
        public const int From = 4 * 1024 * 1024;

        private readonly Task<(List<Blob> Children, Exception? Error)[]> _produced;

        private DecodedAhead(Task<(List<Blob>, Exception?)[]> produced) => _produced = produced;

        /// <summary>Starts producing on a thread of its own; gives <paramref name="cores"/> back (the
        /// caller took one) when done.</summary>
        public static DecodedAhead Start(Blob blob, IReadOnlyList<IDecoder> decoders, CoreCount cores) => new(Task.Factory.StartNew(() =>
        {
            try
            {
                var produced = new (List<Blob>, Exception?)[decoders.Count];
                for (int d = 0; d < decoders.Count; d++)
                {
                    var children = new List<Blob>();
                    try
                    {
                        decoders[d].Decode(blob, children);
                        produced[d] = (children, null);
                    }
                    catch (Exception e)
                    {
                        // Judged where the decoder would have thrown inline (TakeInto).
                        produced[d] = (children, e);
                    }
                }
                return produced;
            }
            finally
            {
                cores.Give();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

        /// <summary>Adds what decoder <paramref name="decoder"/> produced to <paramref name="output"/>
        /// (waiting for it), or throws what it threw.</summary>
        public void TakeInto(int decoder, List<Blob> output)
        {
            var (children, error) = _produced.Result[decoder];
            if (error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
            }
            output.AddRange(children);
        }

        /// <summary>Waits until nothing reads the blob any more (production never throws: each
        /// decoder's exception is kept for <see cref="TakeInto"/>).</summary>
        public void WaitQuietly() => _produced.Wait();
    }
}
