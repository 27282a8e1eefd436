using System.Text;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>
/// A credential file as its parsers see it: the bytes, a Latin-1 view whose character offsets
/// are byte offsets (so a parser's positions are the file's), and its lines. Credential files are
/// small; the scanner hands over at most <see cref="MaxBytes"/>, and a line longer than
/// <see cref="MaxLineLength"/> is skipped, so a hostile file costs one bounded pass.
/// </summary>
public sealed class CredentialFileText
{
    /// <summary>The largest file a parser reads; a bigger one is not a credential file anyone wrote by hand.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const int MaxLineLength = 64 * 1024;

    public CredentialFileText(ReadOnlyMemory<byte> content)
    {
        Content = content;
        Latin1 = Encoding.Latin1.GetString(content.Span);
    }

    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The file, one character per byte.</summary>
    public string Latin1 { get; }

    /// <summary>The text of a byte range, read as UTF-8 (what the secret really is).</summary>
    public string Utf8(int start, int length) => Encoding.UTF8.GetString(Content.Span.Slice(start, length));

    /// <summary>A credential whose text is the byte range itself.</summary>
    public ParsedCredential At(int start, int length) => new(start, length, Utf8(start, length));

    private List<(int Start, int End)>? _xmlComments;

    /// <summary>Whether <paramref name="offset"/> lies inside an XML comment (<c>&lt;!-- … --&gt;</c>):
    /// where a shipped template keeps its examples (Maven's <c>settings.xml</c> comments out a
    /// <c>&lt;server&gt;</c> with <c>repopwd</c>). The comments are found once, in one pass.</summary>
    public bool InXmlComment(int offset)
    {
        _xmlComments ??= XmlComments(Latin1);
        int low = 0, high = _xmlComments.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            var (start, end) = _xmlComments[middle];
            if (offset < start)
            {
                high = middle - 1;
            }
            else if (offset >= end)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    private static List<(int Start, int End)> XmlComments(string text)
    {
        var comments = new List<(int, int)>();
        for (int at = text.IndexOf("<!--", StringComparison.Ordinal); at >= 0;)
        {
            int close = text.IndexOf("-->", at + 4, StringComparison.Ordinal);
            int end = close < 0 ? text.Length : close + 3;
            comments.Add((at, end));
            at = end < text.Length ? text.IndexOf("<!--", end, StringComparison.Ordinal) : -1;
        }
        return comments;
    }

    /// <summary>Each line's start and length (without its line break); lines longer than
    /// <see cref="MaxLineLength"/> are left out.</summary>
    public IEnumerable<(int Start, int Length)> Lines()
    {
        int start = 0;
        while (start < Latin1.Length)
        {
            int end = Latin1.IndexOf('\n', start);
            int next = end < 0 ? Latin1.Length : end + 1;
            if (end < 0)
            {
                end = Latin1.Length;
            }
            int length = end - start;
            if (length > 0 && Latin1[end - 1] == '\r')
            {
                length--;
            }
            if (length <= MaxLineLength)
            {
                yield return (start, length);
            }
            start = next;
        }
    }
}
