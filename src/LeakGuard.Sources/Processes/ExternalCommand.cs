using LeakGuard.Processes;

namespace LeakGuard.Sources.Processes;

/// <summary>
/// Runs a packaging tool (npm, dotnet) the way the user's release would, so LeakGuard scans what
/// the tool itself decides to ship instead of guessing its rules. Runs through
/// <see cref="ProcessRunner"/>: output is bounded, the run is timed out, and a failure carries the
/// tool's last lines of output.
/// </summary>
public static class ExternalCommand
{
    /// <summary>Enough for the file list of a very large package; more would not be JSON LeakGuard can trust.</summary>
    private const int MaxOutputChars = 64 * 1024 * 1024;

    public static string Run(string workingDirectory, string file, IEnumerable<string> args, TimeSpan timeout)
    {
        string[] arguments = [.. args];
        var command = new ProcessCommand(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            Environment = new Dictionary<string, string?> { ["NO_UPDATE_NOTIFIER"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            OutputLimit = MaxOutputChars,
            // The tool's own flags and the user's paths: nothing secret to keep out of messages.
            Description = $"{file} {string.Join(' ', arguments)}",
        };
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(command, timeout);
        }
        catch (ProcessStartException e)
        {
            throw new ExternalCommandException($"{file} is not installed or not on PATH ({e.InnerException?.Message})");
        }
        catch (ProcessTimeoutException e)
        {
            throw new ExternalCommandException(e.Message);
        }
        if (!result.Succeeded)
        {
            throw new ExternalCommandException($"{result.Description} exited {result.ExitCode}: {result.LastLines()}");
        }
        if (result.StandardOutputDropped > 0)
        {
            throw new ExternalCommandException($"{result.Description} wrote more than {MaxOutputChars / (1024 * 1024)} MiB of output");
        }
        return result.StandardOutput;
    }
}

/// <summary>A packaging tool failed, timed out or is missing; the message says which and why.</summary>
public sealed class ExternalCommandException(string message) : Exception(message);
