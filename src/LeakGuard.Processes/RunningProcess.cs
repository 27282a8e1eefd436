using System.Diagnostics;

namespace LeakGuard.Processes;

/// <summary>A child started by <see cref="ProcessRunner.Start"/> or <see cref="ProcessRunner.StartPiped"/>.
/// Disposing it kills it, with every process it started, if it is still running.</summary>
public sealed class RunningProcess : IDisposable
{
    /// <summary>How long a killed process gets to be gone, and an exited one to deliver its last lines.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly bool _piped;
    private readonly CapturedText _output;
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    internal RunningProcess(ProcessCommand command, Process process, bool piped)
    {
        _process = process;
        _piped = piped;
        _output = new CapturedText(command.OutputLimit);
        Description = command.Description;
        _process.ErrorDataReceived += (_, line) => Collect(line.Data, _errorEnded);
        _process.BeginErrorReadLine();
        if (piped)
        {
            _outputEnded.SetResult();
        }
        else
        {
            _process.OutputDataReceived += (_, line) => Collect(line.Data, _outputEnded);
            _process.BeginOutputReadLine();
            _ = ProcessRunner.WriteAndCloseAsync(_process.StandardInput, command.StandardInput);
        }
    }

    /// <summary>The command's <see cref="ProcessCommand.Description"/>.</summary>
    public string Description { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Only once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What the child has written so far, a line at a time as it came: standard output and
    /// error together, or standard error alone for a piped process. Kept up to the command's limit.</summary>
    public string Output => _output.Text;

    /// <summary>Characters of output past the limit, not kept: 0 unless <see cref="Output"/> was cut.</summary>
    public long OutputDropped => _output.Dropped;

    /// <summary>The child's standard input, for a piped process.</summary>
    public Stream StandardInput => _piped ? _process.StandardInput.BaseStream : throw NotPiped();

    /// <summary>The child's standard output, for a piped process.</summary>
    public Stream StandardOutput => _piped ? _process.StandardOutput.BaseStream : throw NotPiped();

    /// <summary>True once the child has exited within <paramref name="timeout"/>, and the lines it
    /// wrote last are in <see cref="Output"/> (unless something it started holds the pipes open).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        Task.WhenAll(_outputEnded.Task, _errorEnded.Task).Wait(Settle);
        return true;
    }

    /// <summary>Kills the child and every process it started, and waits (a few seconds at most) until it is gone.</summary>
    public void Kill()
    {
        ProcessRunner.KillTree(_process);
        _process.WaitForExit(Settle);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }

    private void Collect(string? line, TaskCompletionSource ended)
    {
        if (line is null)
        {
            ended.TrySetResult();
            return;
        }
        _output.AppendLine(line);
    }

    private InvalidOperationException NotPiped() =>
        new($"{Description} was not started with ProcessRunner.StartPiped; its output is in Output");
}
