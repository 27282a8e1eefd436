using System.Collections.Concurrent;
using System.Text.Json;
using LeakGuard.Processes;

namespace LeakGuard.Distribution.Tests;

/// <summary>The repository's CLI as users get it: packed once as a .NET tool into a folder feed
/// and published once as a single-file binary per test run (each takes minutes here), shared by
/// every test class of the collection.</summary>
public sealed class Distribution : IDisposable
{
    public const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    // Every folder the tests made: installed tools and the binary are over 100 MB each, so they
    // go when the collection ends instead of piling up in /tmp run after run.
    private static readonly ConcurrentBag<string> Created = [];

    private readonly Lazy<string> _feed;
    private readonly Lazy<string> _singleFile;

    public Distribution()
    {
        RepositoryRoot = FindRepositoryRoot();
        _feed = new Lazy<string>(Pack);
        _singleFile = new Lazy<string>(PublishSingleFile);
    }

    public string RepositoryRoot { get; }

    /// <summary>A folder holding LeakGuard.*.nupkg, usable with --add-source.</summary>
    public string Feed => _feed.Value;

    /// <summary>The self-contained single-file linux-x64 `leakguard`.</summary>
    public string SingleFile => _singleFile.Value;

    /// <summary>The warnings `dotnet publish` printed for the single-file build (trim/single-file analysis).</summary>
    public IReadOnlyList<string> SingleFileWarnings { get; private set; } = [];

    private string Pack()
    {
        string feed = TempDirectory("feed");
        Run(RepositoryRoot, TimeSpan.FromMinutes(15), "dotnet", "pack", "src/LeakGuard.Cli/LeakGuard.Cli.csproj",
            "-c", "Release", "-o", feed, "--nologo");
        return feed;
    }

    private string PublishSingleFile()
    {
        string output = TempDirectory("single-file");
        var result = Run(RepositoryRoot, TimeSpan.FromMinutes(15), "dotnet", "publish", "src/LeakGuard.Cli/LeakGuard.Cli.csproj",
            "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true", "-o", output, "--nologo");
        SingleFileWarnings = [.. result.StandardOutput.Split('\n').Where(line => line.Contains(": warning ", StringComparison.Ordinal))];
        return Path.Join(output, "leakguard");
    }

    /// <summary>A temporary folder holding one file with a GitHub token and one clean file.</summary>
    public static string TreeWithSecret()
    {
        string root = TempDirectory("tree");
        Directory.CreateDirectory(Path.Join(root, "src"));
        File.WriteAllText(Path.Join(root, "src", "config.js"), $"export const token = \"{Token}\";\n");
        File.WriteAllText(Path.Join(root, "README.md"), "nothing to see\n");
        return root;
    }

    public static string TempDirectory(string purpose)
    {
        string path = Directory.CreateTempSubdirectory($"leakguard-distribution-{purpose}-").FullName;
        Created.Add(path);
        return path;
    }

    public void Dispose()
    {
        while (Created.TryTake(out string? path))
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover folder in /tmp is not worth failing the run for.
            }
        }
    }

    /// <summary>Runs a program to its end, bounded; the caller asserts the exit code.</summary>
    public static ProcessResult Run(string workingDirectory, TimeSpan timeout, string program, params string[] args) =>
        RunWith(workingDirectory, timeout, new Dictionary<string, string?>(), program, args);

    public static ProcessResult RunWith(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?> environment,
        string program, params string[] args)
    {
        var variables = new Dictionary<string, string?>
        {
            // A first run makes its fingerprint key in the configuration folder: never the user's own.
            ["XDG_CONFIG_HOME"] = TempDirectory("config"), ["LEAKGUARD_CACHE"] = TempDirectory("cache"), ["NO_COLOR"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }
        var command = new ProcessCommand(program, args)
        {
            WorkingDirectory = workingDirectory, Environment = variables, OutputLimit = 16 * 1024 * 1024,
        };
        return ProcessRunner.Run(command, timeout);
    }

    /// <summary>Asserts a JSON scan report of <see cref="TreeWithSecret"/>: exit 1, the token and
    /// nothing else; returns the engine that ran.</summary>
    public static string AssertFoundTheToken(ProcessResult result, string tree)
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.LastLines(20)}");
        var (findings, engine) = ReadJsonReport(result.StandardOutput);
        Assert.Equal([("github.pat", Path.Join(tree, "src", "config.js"))], findings);
        return engine;
    }

    /// <summary>The findings of a JSON report as (rule, path) pairs, and the engine that ran.</summary>
    public static (IReadOnlyList<(string Rule, string Path)> Findings, string Engine) ReadJsonReport(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var findings = root.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("location").GetProperty("path").GetString()!))
            .ToList();
        return (findings, root.GetProperty("engine").GetString()!);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "LeakGuard.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no LeakGuard.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>One collection: the tests share one pack and one publish and run one after another
/// (each starts builds; in parallel they would fight over the same obj folders).</summary>
[CollectionDefinition(Name)]
public sealed class DistributionCollection : ICollectionFixture<Distribution>
{
    public const string Name = "distribution";
}
