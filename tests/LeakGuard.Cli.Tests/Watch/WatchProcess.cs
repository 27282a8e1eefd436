using System.Diagnostics;
using LeakGuard.Processes;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary><c>leakguard watch</c> running as its own process, its log collected as it is written.</summary>
internal sealed class WatchProcess : IDisposable
{
    public const string ApiKey = "test-api-key-0123456789";

    private readonly RunningProcess _process;

    /// <param name="directory">A temporary folder for the rule file and the git mirrors.</param>
    /// <param name="jsonLogs">Pass <c>--json-logs</c>.</param>
    /// <param name="options">More options for <c>watch</c> (<c>--protected INDEX</c>).</param>
    public WatchProcess(string config, string directory, bool jsonLogs = false, params string[] options)
        : this(config, directory, new Dictionary<string, string>(), jsonLogs, options)
    {
    }

    /// <param name="environment">More environment variables (the validation endpoint's test-only settings).</param>
    public WatchProcess(string config, string directory, IReadOnlyDictionary<string, string> environment, bool jsonLogs, params string[] options)
    {
        string[] args =
        [
            Path.Join(AppContext.BaseDirectory, "leakguard.dll"), "watch", "--config", config, "--engine", "managed",
            .. TestRules.Options(directory, TestRules.GitHub),
            .. (string[])(jsonLogs ? ["--json-logs"] : []),
            .. options,
        ];
        _process = ProcessRunner.Start(new ProcessCommand("dotnet", args)
        {
            Environment = new Dictionary<string, string?>
            {
                ["LEAKGUARD_CACHE"] = CliRunner.CacheDirectory,
                ["LEAKGUARD_API_KEY"] = ApiKey,
                ["LEAKGUARD_GIT_CACHE"] = Path.Join(directory, "git-cache"),
            }.Concat(environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).ToDictionary(),
            // A worker that runs for minutes logs a good deal; the bound is only against a runaway.
            OutputLimit = 64 * 1024 * 1024,
            Description = "leakguard watch",
        });
    }

    public string Log => _process.Output;

    /// <summary>Waits until the log contains <paramref name="text"/>; fails with the log after <paramref name="timeout"/>.</summary>
    public void WaitForLog(string text, TimeSpan timeout)
    {
        Eventually.True(() => Log.Contains(text, StringComparison.Ordinal), timeout, () => $"no '{text}' in the log:\n{Log}");
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> does, and returns the exit code, or null if the
    /// worker is still running after <paramref name="timeout"/>.</summary>
    public int? Terminate(TimeSpan timeout)
    {
        ProcessRunner.Run(new ProcessCommand("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(30))
            .EnsureSuccess();
        // Once it has exited, this also waits for the last lines of output to be read.
        return _process.WaitForExit(timeout) ? _process.ExitCode : null;
    }

    /// <summary>Stops as <c>kill -9</c> would: nothing gets to finish.</summary>
    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();
}

internal static class Eventually
{
    public static void True(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail(failure());
            }
            Thread.Sleep(200);
        }
    }
}
