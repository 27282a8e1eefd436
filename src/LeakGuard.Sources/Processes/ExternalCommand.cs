using System.Diagnostics;

namespace LeakGuard.Sources.Processes;

/// <summary>
/// Runs a packaging tool (npm, dotnet) the way the user's release would, so LeakGuard scans what
/// the tool itself decides to ship instead of guessing its rules. Output is bounded, the run is
/// timed out, and a failure carries the tool's last lines of error output.
/// </summary>
public static class ExternalCommand
{
    private const int MaxOutputChars = 64 * 1024 * 1024;

    public static string Run(string workingDirectory, string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NO_UPDATE_NOTIFIER"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        string display = $"{file} {string.Join(' ', start.ArgumentList)}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ExternalCommandException($"{display}: could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalCommandException($"{file} is not installed or not on PATH ({e.Message})");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = ReadBoundedAsync(process.StandardOutput);
            var stderr = ReadBoundedAsync(process.StandardError);
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ExternalCommandException($"{display} did not finish within {timeout.TotalSeconds:0} s");
            }
            if (process.ExitCode != 0)
            {
                string[] lines = (stderr.Result + stdout.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                throw new ExternalCommandException($"{display} exited {process.ExitCode}: {string.Join(" | ", lines.TakeLast(5))}");
            }
            return stdout.Result;
        }
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        var text = new System.Text.StringBuilder();
        char[] buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            // Keeps draining past the bound so the tool never blocks on a full pipe.
            if (text.Length + read <= MaxOutputChars)
            {
                text.Append(buffer, 0, read);
            }
        }
        return text.ToString();
    }
}

/// <summary>A packaging tool failed, timed out or is missing; the message says which and why.</summary>
public sealed class ExternalCommandException(string message) : Exception(message);
