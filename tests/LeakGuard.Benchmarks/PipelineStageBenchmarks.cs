using System.IO.Hashing;
using BenchmarkDotNet.Attributes;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Benchmarks;

/// <summary>
/// Each stage a file goes through, on its own, over the same real files (Python's standard
/// library, the .NET SDK's XML docs, C headers; ~64 MiB, warm page cache), so the stages' costs
/// can be compared with each other and with the whole scan: reading each file into pooled memory,
/// the content hash that deduplicates, the binary check, the decoders, matching with every
/// built-in rule (Hyperscan), and the scan end to end (all of it plus findings) on the two
/// scanning threads the CLI uses. Throughput is the bytes divided by the mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class PipelineStageBenchmarks
{
    private const long Size = 64 << 20;
    private static readonly FileStreamOptions ReadWhole = new() { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0 };

    private IReadOnlyList<string> _paths = [];
    private byte[][] _contents = [];
    private IMatchEngine? _engine;
    private ScanSession? _session;
    private readonly List<PatternMatch> _matches = [];
    private readonly List<int> _timedOut = [];
    private readonly List<Blob> _decoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _paths = RealSourceText.Files(Size);
        _contents = [.. _paths.Select(File.ReadAllBytes)];
        Console.WriteLine($"// {_paths.Count} files, {_contents.Sum(c => (long)c.Length) / 1048576.0:N1} MiB");
        string cache = Path.Join(Path.GetTempPath(), "leakguard-bench-cache");
        var rules = new RuleSet(RuleLoader.LoadBuiltIn(cache));
        _engine = MatchEngineFactory.Create(EngineKind.Hyperscan, rules.Patterns, cache);
        _session = ScanSession.Open(new ScanSettings { Engine = EngineKind.Hyperscan, CacheDirectory = cache }, rules: rules);
    }

    [Benchmark]
    public long Read()
    {
        long bytes = 0;
        var options = new ScanOptions();
        foreach (string path in _paths)
        {
            var item = new SourceItem { Path = path, Length = new FileInfo(path).Length, Open = () => new FileStream(path, ReadWhole) };
            using var content = ItemReader.Read(item, options);
            bytes += content?.Buffer?.Length ?? 0;
        }
        return bytes;
    }

    [Benchmark]
    public ulong Hash()
    {
        ulong mix = 0;
        foreach (byte[] content in _contents)
        {
            mix ^= (ulong)XxHash128.HashToUInt128(content);
        }
        return mix;
    }

    [Benchmark]
    public int BinaryCheck() => _contents.Count(c => TextPosition.LooksBinary(c));

    [Benchmark]
    public int Decode()
    {
        int children = 0;
        for (int i = 0; i < _contents.Length; i++)
        {
            var blob = new Blob { Path = _paths[i], Content = _contents[i] };
            foreach (var decoder in Decoders.Default)
            {
                _decoded.Clear();
                decoder.Decode(blob, _decoded);
                children += _decoded.Count;
            }
        }
        return children;
    }

    [Benchmark]
    public int Match()
    {
        int matches = 0;
        foreach (byte[] content in _contents)
        {
            _matches.Clear();
            _engine!.Scan(content, _matches, _timedOut);
            matches += _matches.Count;
        }
        return matches;
    }

    [Benchmark]
    public int ScanEndToEnd()
    {
        var items = _paths.Select((path, i) => SourceItem.InMemory(new Blob { Path = path, Content = _contents[i] }));
        return _session!.Scan(items).Result.Findings.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine?.Dispose();
        _session?.Dispose();
    }
}
