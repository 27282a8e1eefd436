using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakGuard.Matching.Hyperscan;

/// <summary>
/// The Hyperscan engine: a database of the patterns alone, one scratch per scanning thread,
/// matches delivered through an unmanaged function pointer into that thread's candidate windows.
/// A pattern's keywords are looked for only around the ends Hyperscan reports for it, which are
/// few: as literals in the database, the ~2,000 keywords of the built-in rules (many of three or
/// four letters) cost more than all the patterns together. Keywords go into a database of their
/// own only when Hyperscan refuses a pattern, which then runs on keyword windows alone.
/// </summary>
public sealed unsafe class HyperscanEngine : IMatchEngine
{
    // hs_scan takes a 32-bit length; larger inputs are scanned in overlapping blocks.
    private const int MaxBlock = 1 << 30;

    private readonly HyperscanDatabase _database;
    private readonly HyperscanDatabase? _keywordDatabase;
    private readonly KeywordTable _keywords;
    private readonly ThreadLocal<ScanContext> _contexts;
    private readonly List<string> _notes;
    private readonly int _overlap;

    public HyperscanEngine(IReadOnlyList<CompiledPattern> patterns, string? cacheDirectory)
    {
        Patterns = patterns;
        _keywords = new KeywordTable(patterns);
        _database = HyperscanDatabase.Build(patterns, _keywords.Keywords, cacheDirectory, HyperscanDatabase.Part.Patterns);
        _keywordDatabase = _database.Compiled.Contains(false)
            ? HyperscanDatabase.Build(patterns, _keywords.Keywords, cacheDirectory, HyperscanDatabase.Part.Keywords)
            : null;
        _notes = [.. _database.Notes];
        // Blocks over 1 GiB overlap by the widest match the dialect allows (not each pattern's,
        // which would analyse every pattern at start-up).
        _overlap = PatternSyntax.MaxAllowedWidth;
        _contexts = new ThreadLocal<ScanContext>(() => new ScanContext(this), trackAllValues: true);
    }

    public string Name => "hyperscan";

    public IReadOnlyList<CompiledPattern> Patterns { get; }

    public IReadOnlyList<string> Notes => _notes;

    internal bool LoadedFromCache => _database.FromCache && _keywordDatabase?.FromCache != false;

    public void Scan(ReadOnlySpan<byte> data, List<PatternMatch> results, List<int> timedOut, ReadOnlySpan<bool> skip = default)
    {
        if (data.IsEmpty || Patterns.Count == 0)
        {
            return;
        }
        var context = _contexts.Value!;
        context.Windows.Clear();
        if (!_database.Handle.IsInvalid)
        {
            ScanBlocks(_database, context.Scratch!, data, context);
        }
        if (_keywordDatabase is not null)
        {
            ScanBlocks(_keywordDatabase, context.KeywordScratch!, data, context);
        }
        context.Windows.AddKeywordHitsNearEnds(data);
        WindowConfirmer.Confirm(data, context.Windows.Finish(_database.Compiled), Patterns, results, timedOut, skip);
    }

    private void ScanBlocks(HyperscanDatabase database, HsScratchHandle scratch, ReadOnlySpan<byte> data, ScanContext context)
    {
        for (int offset = 0; ; offset += MaxBlock - _overlap)
        {
            int length = Math.Min(MaxBlock, data.Length - offset);
            context.Offset = offset;
            fixed (byte* p = data[offset..])
            {
                int rc = HsNative.hs_scan(database.Handle, p, (uint)length, 0, scratch, &OnMatch, (void*)context.Self);
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
        _keywordDatabase?.Dispose();
    }

    private sealed class ScanContext : IDisposable
    {
        private GCHandle _self;

        public ScanContext(HyperscanEngine engine)
        {
            Engine = engine;
            Windows = new CandidateWindows(engine.Patterns, engine._keywords);
            Scratch = engine._database.Handle.IsInvalid ? null : Allocate(engine._database);
            KeywordScratch = engine._keywordDatabase is { } keywords ? Allocate(keywords) : null;
            _self = GCHandle.Alloc(this);
        }

        /// <summary>Scratch for one database (a scratch serves the database it was made for).</summary>
        private static HsScratchHandle Allocate(HyperscanDatabase database)
        {
            var scratch = new HsScratchHandle();
            int rc = HsNative.hs_alloc_scratch(database.Handle, ref scratch);
            if (rc != HsNative.HS_SUCCESS)
            {
                scratch.Dispose();
                throw new InvalidOperationException($"hs_alloc_scratch failed with Hyperscan error {rc}");
            }
            return scratch;
        }

        public HyperscanEngine Engine { get; }

        public CandidateWindows Windows { get; }

        public HsScratchHandle? Scratch { get; }

        public HsScratchHandle? KeywordScratch { get; }

        public nint Self => GCHandle.ToIntPtr(_self);

        public int Offset { get; set; }

        public void Dispose()
        {
            Scratch?.Dispose();
            KeywordScratch?.Dispose();
            if (_self.IsAllocated)
            {
                _self.Free();
            }
        }
    }
}
