namespace LeakGuard.Core.Protection;

/// <summary>Where a text's lines start, to tell the line (from 1) of any byte offset, in any
/// order: what a text whose fingerprints matched needs (its tokens' and fingerprints' lines).
/// Building an index, whose runs come in order, counts newlines as it goes instead
/// (<see cref="Winnowing.Of"/>).</summary>
public sealed class TextLines
{
    private readonly int[] _newlines;

    private TextLines(int[] newlines) => _newlines = newlines;

    public static TextLines Of(ReadOnlySpan<byte> text)
    {
        var newlines = new List<int>();
        int at = 0;
        while (text[at..].IndexOf((byte)'\n') is var next and >= 0)
        {
            newlines.Add(at + next);
            at += next + 1;
        }
        return new TextLines([.. newlines]);
    }

    /// <summary>The line <paramref name="offset"/> is on: one more than the newlines before it.</summary>
    public int LineAt(int offset)
    {
        int index = Array.BinarySearch(_newlines, offset);
        return (index < 0 ? ~index : index) + 1;
    }
}
