using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>
/// The members of one input — a package's files, a source map's sources — are matched on whatever
/// core the run has free (issue 16: a one-package scan used to run on one core), while their
/// expansion stays, in order, with the input's own worker. What a scan reports must not depend on
/// which core matched what.
/// </summary>
public sealed class ParallelMemberTests
{
    private const int Files = 150;
    private const int Sources = 300;

    [Theory]
    [InlineData("tar", "-czf", "pkg.tgz")]   // members inflated into buffers of their own
    [InlineData("tar", "-cf", "pkg.tar")]    // members read in place, slices of the input
    public void A_package_scanned_on_two_cores_reports_exactly_what_one_core_reports(string tool, string flags, string name)
    {
        string dir = Package();
        CoreTestKit.Run(dir, tool, flags, name, "package");
        string archive = Path.Join(dir, name);

        var one = Scan(archive, threads: 1);
        Assert.Equal(Files + Sources, one.Findings.Count(f => f.StartsWith("test.github ", StringComparison.Ordinal)));
        Assert.Single(one.Threads);

        // Whether the other core takes a member depends on timing: a few tries make sure it did.
        bool shared = false;
        for (int attempt = 0; attempt < 3 && !shared; attempt++)
        {
            var two = Scan(archive, threads: 2);
            Assert.Equal(one.Findings, two.Findings);
            Assert.Equal(one.Warnings, two.Warnings);
            shared = two.Threads.Count > 1;
        }
        Assert.True(shared, "every member was matched on the input's own thread: nothing was handed to the free core");
    }

    /// <summary>A file this large has its decoders' text produced on the free core while it is
    /// matched (one item, two threads: the other core is always free); the decoded views are then
    /// matched in the usual order, so every finding, and the decoding that reveals it, is the same.</summary>
    [Fact]
    public void A_large_file_decoded_on_the_free_core_reports_exactly_what_one_core_reports()
    {
        string dir = CoreTestKit.TempDirectory();
        string file = Path.Join(dir, "bundle.js");
        var text = new StringBuilder();
        for (int block = 0; text.Length < 6 * 1024 * 1024; block++)
        {
            // Plain code, with a secret only decoding reveals every eighth block (a file reports
            // at most 100 findings per rule): base64, a JSON \u escape, a percent escape.
            text.Append(Source(block, secretLine: block % 8 == 0 ? 500 : 0));
            if (block % 8 == 0)
            {
                text.Append($"const blob = \"{Convert.ToBase64String(Encoding.UTF8.GetBytes("token=" + Token(10_000 + block)))}\";\n");
                text.Append($"const json = \"{{\\\"t\\\": \\\"\\u0067{Token(20_000 + block)[1..]}\\\"}}\";\n");
                text.Append($"const url = \"https://example.com/?t=%67{Token(30_000 + block)[1..]}\";\n");
            }
        }
        File.WriteAllText(file, text.ToString());

        var one = Scan(file, threads: 1);
        var two = Scan(file, threads: 2);

        Assert.Equal(one.Findings, two.Findings);
        Assert.Equal(one.Warnings, two.Warnings);
        foreach (string chain in new[] { "base64", "json-string", "percent" })
        {
            Assert.Contains(two.Findings, f => f.Contains($"\"decoded\":\"{chain}", StringComparison.Ordinal));
        }
    }

    private static (List<string> Findings, List<string> Warnings, HashSet<int> Threads) Scan(string archive, int threads)
    {
        var rules = CoreTestKit.Rules();
        using var engine = MatchEngineFactory.Create(EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        var keeper = new ThreadRecorder();
        var item = new SourceItem { Path = archive, Length = new FileInfo(archive).Length, Open = () => File.OpenRead(archive) };
        var result = new Scanner(rules, engine, new ScanOptions { Threads = threads }) { Secrets = keeper }.Run([item]);
        return (
            [.. result.Findings.Select(f => $"{f.RuleId} {f.Location.Path}:{f.Location.Line}:{f.Location.Column} {f.Fingerprint} {f.Severity} {JsonSerializer.Serialize(f.Details)}")],
            [.. result.Warnings.Select(w => $"{w.Path}: {w.Message}")],
            [.. keeper.Threads.Keys]);
    }

    /// <summary>A package of many files and a source map of many sources, each with its own token
    /// somewhere inside ~40 KB of text (so members are worth handing over).</summary>
    private static string Package()
    {
        string dir = CoreTestKit.TempDirectory();
        string src = Path.Join(dir, "package", "src");
        Directory.CreateDirectory(src);
        for (int i = 0; i < Files; i++)
        {
            File.WriteAllText(Path.Join(src, $"module{i}.js"), Source(i));
        }
        using var map = File.Create(Path.Join(dir, "package", "bundle.js.map"));
        using var json = new Utf8JsonWriter(map);
        json.WriteStartObject();
        json.WriteNumber("version", 3);
        json.WriteString("mappings", "AAAA");
        json.WriteStartArray("sources");
        for (int i = 0; i < Sources; i++)
        {
            json.WriteStringValue($"../lib/part{i}.ts");
        }
        json.WriteEndArray();
        json.WriteStartArray("sourcesContent");
        for (int i = 0; i < Sources; i++)
        {
            json.WriteStringValue(Source(Files + i));
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return dir;
    }

    /// <param name="secretLine">Where its token goes: by default somewhere of its own; 0 for none.</param>
    private static string Source(int n, int? secretLine = null)
    {
        var text = new StringBuilder();
        secretLine ??= 1 + (n * 37 % 900);
        for (int line = 1; line <= 1000; line++)
        {
            text.Append(line == secretLine
                ? $"const token = \"{Token(n)}\";\n"
                : $"export function step{line}(value) {{ return value * {line} + {n}; }}\n");
        }
        return text.ToString();
    }

    /// <summary>A distinct token per file, so no two findings are one secret.</summary>
    private static string Token(int n) => "ghp_" + n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + CoreTestKit.GitHubToken[10..];

    private sealed class ThreadRecorder : ISecretKeeper
    {
        public ConcurrentDictionary<int, bool> Threads { get; } = new();

        public void Keep(Rule rule, string digest, string secret) => Threads.TryAdd(Environment.CurrentManagedThreadId, true);
    }
}
