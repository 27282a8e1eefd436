namespace LeakGuard.Processes;

/// <summary>How a child that ran to the end ended, and what it wrote (each stream cut at the
/// command's <see cref="ProcessCommand.OutputLimit"/>; the Dropped counts say by how much).</summary>
public sealed class ProcessResult
{
    internal ProcessResult(string description, int exitCode, CapturedText standardOutput, CapturedText standardError)
    {
        Description = description;
        ExitCode = exitCode;
        StandardOutput = standardOutput.Text;
        StandardOutputDropped = standardOutput.Dropped;
        StandardError = standardError.Text;
        StandardErrorDropped = standardError.Dropped;
    }

    /// <summary>The command's <see cref="ProcessCommand.Description"/>.</summary>
    public string Description { get; }

    public int ExitCode { get; }

    public bool Succeeded => ExitCode == 0;

    public string StandardOutput { get; }

    /// <summary>Characters of standard output past the limit, read and not kept: 0 unless it was cut.</summary>
    public long StandardOutputDropped { get; }

    public string StandardError { get; }

    /// <summary>Characters of standard error past the limit, read and not kept: 0 unless it was cut.</summary>
    public long StandardErrorDropped { get; }

    /// <summary>The last <paramref name="count"/> non-empty lines of standard error and then standard
    /// output, joined on one line for a message, saying when output was cut.</summary>
    public string LastLines(int count = 5)
    {
        string[] lines = $"{StandardError}\n{StandardOutput}".Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string text = lines.Length == 0 ? "no output" : string.Join(" | ", lines.TakeLast(count));
        if (StandardErrorDropped > 0 || StandardOutputDropped > 0)
        {
            text += $" (output cut: {StandardErrorDropped + StandardOutputDropped} characters not kept)";
        }
        return text;
    }

    /// <summary>This result when the exit code is 0; otherwise throws <see cref="ProcessFailedException"/>.</summary>
    public ProcessResult EnsureSuccess() => Succeeded ? this : throw new ProcessFailedException(this);
}
