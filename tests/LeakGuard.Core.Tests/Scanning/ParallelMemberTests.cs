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

    private static string Source(int n)
    {
        var text = new StringBuilder();
        int secretLine = 1 + (n * 37 % 900);
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
