using System.Diagnostics;
using System.Text;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary><c>leakguard watch</c> running as its own process, its log collected as it is written.</summary>
internal sealed class WatchProcess : IDisposable
{
    public const string ApiKey = "test-api-key-0123456789";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    /// <param name="directory">A temporary folder for the rule file and the git mirrors.</param>
    /// <param name="jsonLogs">Pass <c>--json-logs</c>.</param>
    public WatchProcess(string config, string directory, bool jsonLogs = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { Path.Join(AppContext.BaseDirectory, "leakguard.dll"), "watch", "--config", config, "--engine", "managed" }
                     .Concat(TestRules.Options(directory, TestRules.GitHub))
                     .Concat(jsonLogs ? ["--json-logs"] : []))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LEAKGUARD_CACHE"] = CliRunner.CacheDirectory;
        start.Environment["LEAKGUARD_API_KEY"] = ApiKey;
        start.Environment["LEAKGUARD_GIT_CACHE"] = Path.Join(directory, "git-cache");
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Waits until the log contains <paramref name="text"/>; fails with the log after <paramref name="timeout"/>.</summary>
    public void WaitForLog(string text, TimeSpan timeout)
    {
        Eventually.True(() => Log.Contains(text, StringComparison.Ordinal), timeout, () => $"no '{text}' in the log:\n{Log}");
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> does, and returns the exit code, or null if the
    /// worker is still running after <paramref name="timeout"/>.</summary>
    public int? Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!_process.WaitForExit(timeout))
        {
            return null;
        }
        // Without a timeout, this also waits for the last lines of output to be read.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Stops as <c>kill -9</c> would: nothing gets to finish.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
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
