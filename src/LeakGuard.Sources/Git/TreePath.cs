namespace LeakGuard.Sources.Git;

/// <summary>
/// The folder a tree walk is in, as the prefix of the paths below it. A path is as long as the
/// names of every folder above it, so a hostile tree nested thousands of levels deep (or with
/// names megabytes long) would give each of its blobs a path of megabytes: one longer than
/// <see cref="MaxLength"/> characters is shortened in the middle (<c>a/b/…/y/z.env</c>), keeping
/// its start and the folders nearest the file, which is what path rules and people read. A folder
/// costs at most <see cref="MaxLength"/> characters, whatever its depth.
/// </summary>
internal readonly record struct TreePath
{
    public const int MaxLength = 4096;

    /// <summary>Where a shortened path leaves out its middle.</summary>
    public const string Gap = "…";

    private const int Head = 1024;
    private const int Tail = MaxLength - Head - 1;

    /// <summary>Where <see cref="Gap"/> is in <see cref="Text"/>; -1 when nothing was left out.</summary>
    private readonly int _gapAt;

    private TreePath(string text, int gapAt)
    {
        Text = text;
        _gapAt = gapAt;
    }

    public static TreePath Root { get; } = new("", -1);

    /// <summary>The path, ending in <c>/</c> for a folder (empty for the root).</summary>
    public string Text { get; }

    public bool Shortened => _gapAt >= 0;

    /// <summary>The folder <paramref name="name"/> inside this one.</summary>
    public TreePath Folder(string name) => Append(name, "/");

    /// <summary>The path of the file <paramref name="name"/> in this folder.</summary>
    public TreePath File(string name) => Append(name, "");

    private TreePath Append(string name, string separator)
    {
        if (!Shortened && Text.Length + name.Length + separator.Length <= MaxLength)
        {
            return new TreePath(string.Concat(Text, name, separator), -1);
        }
        // The start of the whole path is the start this one kept (or its own); the end is the end
        // of what follows the start, name included.
        string head, rest;
        if (Shortened)
        {
            head = Text[.._gapAt];
            rest = string.Concat(Text.AsSpan(_gapAt + Gap.Length), name, separator);
        }
        else
        {
            string whole = string.Concat(Text, name, separator);
            int headLength = char.IsHighSurrogate(whole[Head - 1]) ? Head - 1 : Head;
            head = whole[..headLength];
            rest = whole[headLength..];
        }
        int tailStart = Math.Max(0, rest.Length - Tail);
        if (tailStart < rest.Length && char.IsLowSurrogate(rest[tailStart]))
        {
            tailStart++;
        }
        return new TreePath(string.Concat(head, Gap, rest.AsSpan(tailStart)), head.Length);
    }
}
