using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakGuard.Matching.Hyperscan;

/// <summary>The Hyperscan engine: one database, one scratch per scanning thread, matches
/// delivered through an unmanaged function pointer into that thread's candidate windows.</summary>
public sealed unsafe class HyperscanEngine : IMatchEngine
{
    // hs_scan takes a 32-bit length; larger inputs are scanned in overlapping blocks.
    private const int MaxBlock = 1 << 30;

    private readonly HyperscanDatabase _database;
    private readonly KeywordTable _keywords;
    private readonly ThreadLocal<ScanContext> _contexts;
    private readonly List<string> _notes;
    private readonly int _overlap;

    public HyperscanEngine(IReadOnlyList<CompiledPattern> patterns, string? cacheDirectory)
    {
        Patterns = patterns;
        _keywords = new KeywordTable(patterns);
        _database = HyperscanDatabase.Build(patterns, _keywords.Keywords, cacheDirectory);
        _notes = [.. _database.Notes];
        _overlap = patterns.Count == 0 ? 0 : patterns.Max(p => p.MaxWidth);
        _contexts = new ThreadLocal<ScanContext>(() => new ScanContext(this), trackAllValues: true);
    }

    public string Name => "hyperscan";

    public IReadOnlyList<CompiledPattern> Patterns { get; }

    public IReadOnlyList<string> Notes => _notes;

    internal bool LoadedFromCache => _database.FromCache;

    public void Scan(ReadOnlySpan<byte> data, List<PatternMatch> results, List<int> timedOut, ReadOnlySpan<bool> skip = default)
    {
        if (data.IsEmpty || Patterns.Count == 0)
        {
            return;
        }
        var context = _contexts.Value!;
        context.Windows.Clear();
        for (int offset = 0; ; offset += MaxBlock - _overlap)
        {
            int length = Math.Min(MaxBlock, data.Length - offset);
            context.Offset = offset;
            fixed (byte* p = data[offset..])
            {
                int rc = HsNative.hs_scan(_database.Handle, p, (uint)length, 0, context.Scratch, &OnMatch, (void*)context.Self);
                if (rc != HsNative.HS_SUCCESS)
                {
                    throw new InvalidOperationException($"hs_scan failed with Hyperscan error {rc}");
                }
            }
            if (offset + length >= data.Length)
            {
                break;
            }
        }
        WindowConfirmer.Confirm(data, context.Windows.Finish(_database.Compiled), Patterns, results, timedOut, skip);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnMatch(uint id, ulong from, ulong to, uint flags, void* state)
    {
        var context = (ScanContext)GCHandle.FromIntPtr((nint)state).Target!;
        int end = context.Offset + (int)to;
        int patternCount = context.Engine.Patterns.Count;
        if (id < patternCount)
        {
            context.Windows.AddPatternEnd((int)id, end);
        }
        else
        {
            int keyword = (int)id - patternCount;
            context.Windows.AddKeywordHit(keyword, end - context.Engine._keywords.Keywords[keyword].Length);
        }
        return 0;
    }

    public void Dispose()
    {
        foreach (var context in _contexts.Values)
        {
            context.Dispose();
        }
        _contexts.Dispose();
        _database.Dispose();
    }

    private sealed class ScanContext : IDisposable
    {
        private GCHandle _self;

        public ScanContext(HyperscanEngine engine)
        {
            Engine = engine;
            Windows = new CandidateWindows(engine.Patterns, engine._keywords);
            var scratch = new HsScratchHandle();
            int rc = HsNative.hs_alloc_scratch(engine._database.Handle, ref scratch);
            if (rc != HsNative.HS_SUCCESS)
            {
                scratch.Dispose();
                throw new InvalidOperationException($"hs_alloc_scratch failed with Hyperscan error {rc}");
            }
            Scratch = scratch;
            _self = GCHandle.Alloc(this);
        }

        public HyperscanEngine Engine { get; }

        public CandidateWindows Windows { get; }

        public HsScratchHandle Scratch { get; }

        public nint Self => GCHandle.ToIntPtr(_self);

        public int Offset { get; set; }

        public void Dispose()
        {
            Scratch.Dispose();
            if (_self.IsAllocated)
            {
                _self.Free();
            }
        }
    }
}
