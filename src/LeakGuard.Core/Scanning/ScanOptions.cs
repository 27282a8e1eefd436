namespace LeakGuard.Core.Scanning;

/// <summary>Bounds and switches of one scan. Every limit exists because input is hostile.</summary>
public sealed record ScanOptions
{
    public const long MiB = 1024 * 1024;

    /// <summary>No limit: <see cref="MaxFileSize"/>'s default.</summary>
    public const long Unlimited = long.MaxValue;

    /// <summary>Files larger than this are skipped with a warning: a limit users opt into
    /// (--max-file-size). By default none, since large text is streamed (<see cref="StreamAbove"/>).</summary>
    public long MaxFileSize { get; init; } = Unlimited;

    /// <summary>The most bytes one blob is held whole in memory: an archive member, an embedded
    /// source, a binary file (which may be an archive to expand). Text files past
    /// <see cref="StreamAbove"/> are streamed instead; larger members are skipped with a warning.</summary>
    public long MaxInMemorySize { get; init; } = 256 * MiB;

    /// <summary>Text files larger than this are matched in overlapping windows (<see cref="StreamWindows"/>)
    /// instead of read whole: 64 MiB keeps a few files per core in memory, and below it nearly every
    /// file of a source tree is read whole, decoded and expanded. Internal so tests can go small.</summary>
    internal long StreamAbove { get; init; } = 64 * MiB;

    /// <summary>Bytes of one streamed window (the overlap with the next included).</summary>
    internal int StreamWindowSize { get; init; } = 8 * (int)MiB;

    /// <summary>What an archive member, embedded source, PDB stream or downloaded package may hold:
    /// each is read whole (a package is an archive to expand).</summary>
    public long MemberLimit => Math.Min(MaxFileSize, MaxInMemorySize);

    /// <summary>The limit <see cref="MemberLimit"/> comes from, for warnings.</summary>
    internal string MemberLimitText => MaxFileSize <= MaxInMemorySize
        ? $"--max-file-size ({MaxFileSize:N0} bytes)"
        : $"{MaxInMemorySize:N0} bytes, the most a member is held in memory";

    public int MaxArchiveDepth { get; init; } = 4;

    /// <summary>Total bytes all archives of one input may expand to.</summary>
    public long MaxExpandedBytes { get; init; } = 2048 * MiB;

    /// <summary>Total archive members one input may hold.</summary>
    public int MaxArchiveMembers { get; init; } = 100_000;

    /// <summary>A member that expands more than this many times its compressed size (and past
    /// <see cref="RatioFloor"/>) is treated as a bomb.</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    public long RatioFloor { get; init; } = 4 * MiB;

    /// <summary>Findings one file (with the text decoded from it) may produce under one rule;
    /// further matches are counted in a note.</summary>
    public int MaxFindingsPerRule { get; init; } = 100;

    /// <summary>Findings one file may produce under all rules together.</summary>
    public int MaxFindingsPerFile { get; init; } = 1_000;

    /// <summary>How many times decoded text may be decoded again (base64 inside a JSON string).</summary>
    public int MaxDecodeDepth { get; init; } = 2;

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of file content held in memory at once across threads.</summary>
    public long MemoryBudget { get; init; } = 768 * MiB;

    /// <summary>Package names (npm or NuGet ids) whose exposed source is critical whatever their
    /// manifest's licence says.</summary>
    public IReadOnlyCollection<string> ProtectedPackages { get; init; } = [];

    /// <summary>Codebases whose copies are reported (<c>--protected</c>); null for none.</summary>
    public Protection.ProtectedCodeMatcher? ProtectedCode { get; init; }
}
