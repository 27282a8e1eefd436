using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Expansion.SourceMaps;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Benchmarks;

/// <summary>
/// A 60 MiB source map whose sourcesContent holds ~2,000 files of real source text: expanded
/// alone (the two Utf8JsonReader passes and unescaping, members counted but not matched), and
/// scanned end to end with the built-in rules on Hyperscan (every embedded source matched and
/// decoded). Throughput is the map's size divided by the mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class SourceMapBenchmarks
{
    private const int SourceTextBytes = 54 << 20;
    private const int SourceCount = 2000;
    private byte[] _map = [];
    private IMatchEngine? _engine;
    private RuleSet? _rules;

    [GlobalSetup]
    public void Setup()
    {
        _map = BuildMap(RealSourceText.Load(SourceTextBytes), SourceCount);
        Console.WriteLine($"// source map: {_map.Length / 1048576.0:N1} MiB, {SourceCount} embedded sources");
        _rules = new RuleSet(RuleLoader.LoadBuiltIn());
        _engine = MatchEngineFactory.Create(EngineKind.Hyperscan, _rules.Patterns, Path.Join(Path.GetTempPath(), "leakguard-bench-cache"));
    }

    [Benchmark]
    public long ExpandOnly()
    {
        var sink = new CountingSink();
        var blob = new Blob { Path = "dist/cli.js.map", Content = _map };
        new SourceMapExpander(new ScanOptions()).Expand(blob, new ExpansionBudget(new ScanOptions()), sink);
        return sink.Bytes;
    }

    [Benchmark]
    public int ScanEndToEnd()
    {
        var scanner = new Scanner(_rules!, _engine!, new ScanOptions());
        return scanner.Run([new Blob { Path = "dist/cli.js.map", Content = _map }]).Findings.Count;
    }

    [GlobalCleanup]
    public void Cleanup() => _engine?.Dispose();

    /// <summary>Splits <paramref name="text"/> at line ends into <paramref name="count"/> sources and
    /// writes them as a bundler would: sources, sourcesContent, one mapping segment per line.</summary>
    internal static byte[] BuildMap(byte[] text, int count)
    {
        var output = new MemoryStream(text.Length * 9 / 8);
        // Bundlers write source text as UTF-8, escaping only what JSON requires.
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var pieces = new List<(int Start, int Length)>();
            int start = 0;
            for (int i = 1; i <= count && start < text.Length; i++)
            {
                int end = i == count ? text.Length : Math.Max(start, (int)((long)text.Length * i / count));
                int newline = text.AsSpan(end).IndexOf((byte)'\n');
                end = newline < 0 ? text.Length : end + newline + 1;
                pieces.Add((start, end - start));
                start = end;
            }
            json.WriteStartObject();
            json.WriteNumber("version", 3);
            json.WriteString("file", "cli.js");
            json.WriteStartArray("sources");
            for (int i = 0; i < pieces.Count; i++)
            {
                json.WriteStringValue(i % 10 == 9 ? $"../node_modules/dep{i}/index.js" : $"../src/module{i}.ts");
            }
            json.WriteEndArray();
            json.WriteStartArray("sourcesContent");
            foreach (var (s, length) in pieces)
            {
                // Latin-1 keeps every byte of the real text, whatever its encoding.
                json.WriteStringValue(System.Text.Encoding.Latin1.GetString(text, s, length));
            }
            json.WriteEndArray();
            json.WriteString("mappings", string.Concat(Enumerable.Repeat("AACA;", text.AsSpan().Count((byte)'\n'))));
            json.WriteEndObject();
        }
        return output.ToArray();
    }

    private sealed class CountingSink : IExpansionSink
    {
        public long Bytes { get; private set; }

        public ReleaseContext Release { get; } = new([]);

        public void Member(Blob member) => Bytes += member.Content.Length;

        public void Expanded(Blob blob, int start, int length)
        {
        }

        public void Warn(string path, string message) => throw new InvalidOperationException($"{path}: {message}");

        public void Report(Finding finding)
        {
        }
    }
}
