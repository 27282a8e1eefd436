namespace LeakGuard.Processes;

/// <summary>
/// A program to run and how. Arguments go to the child one by one, exactly as given: they are
/// never joined into a command line that a shell or the runtime would split again. The child
/// inherits this process's environment with <see cref="Environment"/> laid over it, and its
/// standard input is always a pipe (never the terminal), closed once <see cref="StandardInput"/>
/// is written, so a tool that wants to ask a question gets end-of-file instead of waiting.
/// </summary>
public sealed class ProcessCommand
{
    /// <summary>Characters kept of each of standard output and standard error unless told otherwise.</summary>
    public const int DefaultOutputLimit = 1 << 20;

    private static readonly IReadOnlyDictionary<string, string?> NoChanges = new Dictionary<string, string?>();

    private readonly string? _description;
    private readonly int _outputLimit = DefaultOutputLimit;

    public ProcessCommand(string fileName, params IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        FileName = fileName;
        Arguments = [.. arguments];
        if (Arguments.Any(argument => argument is null))
        {
            throw new ArgumentException("an argument is null", nameof(arguments));
        }
    }

    /// <summary>The program: a path, or a name looked up on PATH.</summary>
    public string FileName { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Where the child starts; null: this process's current folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set for the child on top of this process's environment; a null value
    /// removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = NoChanges;

    /// <summary>Text written to the child's standard input (UTF-8) before it is closed; null: closed at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>The most characters kept of each captured stream. What comes after is still read,
    /// so the child never blocks on a full pipe, and is counted as dropped.</summary>
    public int OutputLimit
    {
        get => _outputLimit;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _outputLimit = value;
        }
    }

    /// <summary>How the runner's messages name this command. By default the program's file name
    /// alone: arguments can carry credentials (a URL with a password), so a caller that wants them
    /// in messages says so here.</summary>
    public string Description
    {
        get => _description ?? Path.GetFileName(FileName);
        init => _description = value;
    }
}
