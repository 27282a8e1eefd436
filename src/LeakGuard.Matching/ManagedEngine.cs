namespace LeakGuard.Matching;

/// <summary>The pure .NET engine: keyword prefilter, then regex confirmation in windows.</summary>
public sealed class ManagedEngine : IMatchEngine
{
    private readonly KeywordTable _keywords;
    private readonly KeywordScanner _scanner;
    private readonly ThreadLocal<CandidateWindows> _windows;

    public ManagedEngine(IReadOnlyList<CompiledPattern> patterns)
    {
        Patterns = patterns;
        _keywords = new KeywordTable(patterns);
        _scanner = new KeywordScanner(_keywords.Keywords);
        _windows = new ThreadLocal<CandidateWindows>(() => new CandidateWindows(Patterns, _keywords));
    }

    public string Name => "managed";

    public IReadOnlyList<CompiledPattern> Patterns { get; }

    public IReadOnlyList<string> Notes => [];

    public void Scan(ReadOnlySpan<byte> data, List<PatternMatch> results, List<int> timedOut, ReadOnlySpan<bool> skip = default)
    {
        var windows = _windows.Value!;
        windows.Clear();
        _scanner.Scan(data, windows);
        WindowConfirmer.Confirm(data, windows.Finish(endsKnown: null), Patterns, results, timedOut, skip);
    }

    public void Dispose() => _windows.Dispose();
}
