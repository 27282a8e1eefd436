using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace LeakGuard.Processes;

/// <summary>
/// The one way LeakGuard and its tests run another program. <see cref="Run"/> waits for a
/// command to finish and returns its exit code and bounded output; past its timeout, or when
/// cancelled, the child and every process it started are killed. <see cref="Start"/> and
/// <see cref="StartPiped"/> start one that keeps running (a server, a <c>git cat-file --batch</c>)
/// with the same handling of arguments, environment and working folder.
/// </summary>
public static class ProcessRunner
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs <paramref name="command"/> to its end. Throws <see cref="ProcessStartException"/>
    /// when it cannot start, <see cref="ProcessTimeoutException"/> after <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: none), <see cref="OperationCanceledException"/> when
    /// cancelled. A non-zero exit is not an exception: see <see cref="ProcessResult.EnsureSuccess"/>.</summary>
    public static ProcessResult Run(ProcessCommand command, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        RunAsync(command, timeout, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="Run"/>
    public static async Task<ProcessResult> RunAsync(ProcessCommand command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        }
        cancellationToken.ThrowIfCancellationRequested();
        using var process = Launch(command);
        var output = CapturedText.ReadAsync(process.StandardOutput, command.OutputLimit);
        var errors = CapturedText.ReadAsync(process.StandardError, command.OutputLimit);
        var input = WriteAndCloseAsync(process.StandardInput, command.StandardInput);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            // The pipes close when the last process holding them does, which can be after the child.
            await Task.WhenAll(output, errors, input).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ProcessTimeoutException(command.Description, timeout);
        }
        return new ProcessResult(command.Description, process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }

    /// <summary>Starts a program that keeps running. Its standard output and error are collected
    /// line by line into <see cref="RunningProcess.Output"/> (up to the command's
    /// <see cref="ProcessCommand.OutputLimit"/>); its standard input gets
    /// <see cref="ProcessCommand.StandardInput"/> and is closed. Disposing it kills it and every
    /// process it started.</summary>
    public static RunningProcess Start(ProcessCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new RunningProcess(command, Launch(command), piped: false);
    }

    /// <summary>Starts a program the caller talks to: <see cref="RunningProcess.StandardInput"/> and
    /// <see cref="RunningProcess.StandardOutput"/> are the child's pipes, as raw streams; standard
    /// error is collected into <see cref="RunningProcess.Output"/>. The command cannot also carry
    /// <see cref="ProcessCommand.StandardInput"/>.</summary>
    public static RunningProcess StartPiped(ProcessCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.StandardInput is not null)
        {
            throw new ArgumentException("a piped process's input is written through RunningProcess.StandardInput", nameof(command));
        }
        return new RunningProcess(command, Launch(command), piped: true);
    }

    private static Process Launch(ProcessCommand command)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        if (command.WorkingDirectory is not null)
        {
            start.WorkingDirectory = command.WorkingDirectory;
        }
        foreach (string argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in command.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        try
        {
            return Process.Start(start) ?? throw new ProcessStartException(command.Description, new InvalidOperationException("no process was started"));
        }
        catch (Win32Exception e)
        {
            throw new ProcessStartException(command.Description, e);
        }
    }

    /// <summary>Writes <paramref name="text"/>, if any, and closes the child's input. A child that
    /// exits or stops reading first is no error: what it did not take was not wanted.</summary>
    internal static async Task WriteAndCloseAsync(StreamWriter input, string? text)
    {
        try
        {
            if (text is not null)
            {
                await input.WriteAsync(text).ConfigureAwait(false);
            }
            input.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Kills the process and its descendants; one that has already gone is no error.</summary>
    internal static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
        }
    }
}
