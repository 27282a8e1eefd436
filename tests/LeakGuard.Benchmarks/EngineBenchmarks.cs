using BenchmarkDotNet.Attributes;
using LeakGuard.Core.Rules;
using LeakGuard.Matching;

namespace LeakGuard.Benchmarks;

/// <summary>
/// One engine over 64 MiB of real source text with the built-in rules, with and without the
/// generic (keyword = password/secret/token…) rules, which are what costs. Throughput is
/// 64 MiB divided by the mean; docs/measuring.md records the figures measured on the 2-core machine.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class EngineBenchmarks
{
    private const int Size = 64 << 20;
    private byte[] _data = [];
    private IMatchEngine? _engine;
    private readonly List<PatternMatch> _matches = [];
    private readonly List<int> _timedOut = [];

    [Params("hyperscan", "managed")]
    public string Engine { get; set; } = "hyperscan";

    [Params(true, false)]
    public bool GenericRules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = RealSourceText.Load(Size);
        var rules = RuleLoader.LoadBuiltIn().Where(r => GenericRules || !r.Id.StartsWith("generic.", StringComparison.Ordinal));
        var set = new RuleSet(rules);
        var kind = Engine == "hyperscan" ? EngineKind.Hyperscan : EngineKind.Managed;
        _engine = MatchEngineFactory.Create(kind, set.Patterns, Path.Join(Path.GetTempPath(), "leakguard-bench-cache"));
    }

    [Benchmark]
    public int Scan64MiB()
    {
        _matches.Clear();
        _timedOut.Clear();
        _engine!.Scan(_data, _matches, _timedOut);
        return _matches.Count;
    }

    [GlobalCleanup]
    public void Cleanup() => _engine?.Dispose();
}
