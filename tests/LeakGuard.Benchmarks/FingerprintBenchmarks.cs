using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Benchmarks;

/// <summary>
/// What keyed fingerprints cost a scan. <see cref="Unkeyed"/> is how a secret was fingerprinted
/// before (two plain SHA-256), <see cref="Keyed"/> how it is now (HMAC-SHA-256 digest, then
/// SHA-256 over rule, path and digest); <see cref="ScanTenThousandFindings"/> scans text holding
/// 10,000 distinct tokens with the built-in rules, so the difference per finding can be set
/// against all a finding costs. Run:
/// dotnet run -c Release --project tests/LeakGuard.Benchmarks -- --filter '*FingerprintBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class FingerprintBenchmarks
{
    private const string Secret = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";
    private readonly FingerprintKey _key = new(FingerprintKey.Generate());
    private byte[] _text = [];
    private IMatchEngine? _engine;
    private RuleSet? _rules;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var text = new StringBuilder();
        for (int i = 0; i < 10_000; i++)
        {
            text.Append("export const t").Append(i).Append(" = \"ghp_");
            for (int c = 0; c < 36; c++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }
            text.Append("\";\n");
        }
        _text = Encoding.UTF8.GetBytes(text.ToString());
        _rules = new RuleSet(RuleLoader.LoadBuiltIn());
        _engine = MatchEngineFactory.Create(EngineKind.Auto, _rules.Patterns, Path.Join(Path.GetTempPath(), "leakguard-bench-cache"));
    }

    [Benchmark(Baseline = true)]
    public string Unkeyed()
    {
        string digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));
        return digest + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"github.pat\nsrc/config.js\n{Secret}")).AsSpan(0, 16));
    }

    [Benchmark]
    public string Keyed()
    {
        string digest = _key.Digest(Secret);
        return digest + SecretText.Fingerprint("github.pat", "src/config.js", digest);
    }

    [Benchmark]
    public int ScanTenThousandFindings() =>
        new Scanner(_rules!, _engine!, new ScanOptions { Threads = 1 }) { FingerprintKey = _key }
            .Run([new Blob { Path = "src/config.js", Content = _text }]).Findings.Count;

    [GlobalCleanup]
    public void Cleanup() => _engine?.Dispose();
}
