using System.Text;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;
using LeakGuard.Processes;

namespace LeakGuard.Core.Tests.Support;

/// <summary>Rules, scans and real tools for Core's tests.</summary>
internal static class CoreTestKit
{
    public const string GitHubToken = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    public const string RulesYaml = """
        rules:
          - id: test.github
            name: GitHub token
            kind: secret
            severity: critical
            pattern: '\b(ghp_[A-Za-z0-9]{36})\b'
            keywords: [ghp_]
            entropy: 3.0
            examples: ['ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK']
            negative_examples: ['ghp_short']
          - id: test.password
            name: Password assignment
            kind: secret
            severity: medium
            pattern: '(?i)password\s{0,3}[=:]\s{0,3}"([^"\s]{8,64})"'
            keywords: [password]
            entropy: 3.0
            examples: ['password = "Xk9#mQ2!vL7p"']
            negative_examples: ['password = "aaaaaaaa"']
          - id: test.env-file
            name: Environment file
            kind: exposure
            severity: high
            path: '(^|/)\.env$'
            examples: ['app/.env']
            negative_examples: ['app/.env.example']
          - id: test.config-only
            name: Key in a config file
            kind: secret
            severity: low
            pattern: 'cfgkey=([a-z0-9]{12})'
            keywords: [cfgkey=]
            path: '\.cfg$'
            examples: ['cfgkey=abc123def456']
            negative_examples: ['cfgkey=short']
        """;

    public static RuleSet Rules() => new(RuleLoader.Parse(RulesYaml, "test-rules.yaml"));

    public static ScanResult Scan(ScanOptions? options, params (string Path, byte[] Content)[] files)
    {
        var rules = Rules();
        using var engine = MatchEngineFactory.Create(EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        var scanner = new Scanner(rules, engine, options ?? new ScanOptions());
        return scanner.Run(files.Select(f => new Blob { Path = f.Path, Content = f.Content }));
    }

    public static ScanResult Scan(params (string Path, string Text)[] files) =>
        Scan(null, files.Select(f => (f.Path, Encoding.UTF8.GetBytes(f.Text))).ToArray());

    /// <summary>A new empty folder, removed when the test process exits (tests write archives,
    /// bombs and repositories there: a run of the suite left 440 folders, 2.4 GB, behind). Folders
    /// of runs that were killed before they could clean up are removed by the next run.</summary>
    public static string TempDirectory()
    {
        string path = Directory.CreateTempSubdirectory($"{TempPrefix}{Environment.ProcessId}-").FullName;
        TempDirectories.Add(path);
        return path;
    }

    private const string TempPrefix = "leakguard-core-tests-";

    private static readonly System.Collections.Concurrent.ConcurrentBag<string> TempDirectories = [];

    static CoreTestKit()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (string path in TempDirectories)
            {
                TryDelete(path);
            }
        };
        // A folder is named after the process that made it: one whose process is gone is left over.
        foreach (string path in Directory.EnumerateDirectories(Path.GetTempPath(), TempPrefix + "*"))
        {
            string[] parts = Path.GetFileName(path)[TempPrefix.Length..].Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], out int pid) && !Directory.Exists($"/proc/{pid}"))
            {
                TryDelete(path);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a folder still in use is left for the next run.
        }
    }

    /// <summary>The checkout the tests run from (the folder holding LeakGuard.sln).</summary>
    public static string RepositoryRoot()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Join(root, "LeakGuard.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no LeakGuard.sln above the test binaries");
        }
        return root;
    }

    /// <summary>Runs a real tool (tar, gzip, zip, dotnet pack) and fails the test if it fails. The
    /// limit only stops a hung tool: a `dotnet pack` on a busy 2-core machine took over a minute.</summary>
    public static void Run(string workingDirectory, string file, params string[] args) =>
        ProcessRunner.Run(
            new ProcessCommand(file, args) { WorkingDirectory = workingDirectory, Description = $"{file} {string.Join(' ', args)}" },
            TimeSpan.FromMinutes(5)).EnsureSuccess();

    /// <summary>Runs a real tool with <paramref name="input"/> on its standard input (git credential-store).</summary>
    public static void RunWithInput(string workingDirectory, string input, string file, params string[] args) =>
        ProcessRunner.Run(
            new ProcessCommand(file, args) { WorkingDirectory = workingDirectory, StandardInput = input, Description = $"{file} {string.Join(' ', args)}" },
            TimeSpan.FromMinutes(1)).EnsureSuccess();
}
