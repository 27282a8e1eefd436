namespace LeakGuard.Processes;

/// <summary>A child process could not be run to a useful end; the message names it by its
/// <see cref="ProcessCommand.Description"/>, never by arguments it was not told to show.</summary>
public abstract class ProcessException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The program could not be started: not installed, not on PATH, not executable, or its
/// working folder is missing.</summary>
public sealed class ProcessStartException(string description, Exception inner)
    : ProcessException($"{description} could not be started ({inner.Message})", inner);

/// <summary>The child ran past its timeout and was killed with every process it started.</summary>
public sealed class ProcessTimeoutException(string description, TimeSpan timeout)
    : ProcessException($"{description} did not finish within {Describe(timeout)} and was stopped")
{
    public TimeSpan Timeout { get; } = timeout;

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds < 120 ? $"{timeout.TotalSeconds:0.###} s" : $"{timeout.TotalMinutes:0.#} minutes";
}

/// <summary>The child exited with a code other than 0 (<see cref="ProcessResult.EnsureSuccess"/>).</summary>
public sealed class ProcessFailedException(ProcessResult result)
    : ProcessException($"{result.Description} exited {result.ExitCode}: {result.LastLines()}")
{
    public ProcessResult Result { get; } = result;
}
