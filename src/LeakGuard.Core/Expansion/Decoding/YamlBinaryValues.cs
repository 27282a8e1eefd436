namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Values YAML declares base64 with the <c>!!binary</c> tag: inline (<c>key: !!binary c2VjcmV0</c>,
/// plain or quoted, continued on more indented lines or after a backslash) or as a block scalar
/// (<c>key: !!binary |</c> and indented lines of base64). The tag is the evidence, so such a value
/// is decoded however short, and its lines may have any width. Found with one search for the tag.
/// </summary>
internal static class YamlBinaryValues
{
    private static ReadOnlySpan<byte> Tag => "!!binary"u8;

    /// <summary>Finds the next tagged value at or after <paramref name="from"/> and puts its base64
    /// pieces (one per line) in <paramref name="pieces"/>, up to <paramref name="maxSymbols"/> symbols.</summary>
    /// <returns>False when there is none; <paramref name="from"/> moves past each tag looked at.</returns>
    public static bool TryNext(ReadOnlySpan<byte> content, ref int from, int maxSymbols, List<(int Start, int Length)> pieces)
    {
        pieces.Clear();
        while (from < content.Length)
        {
            int tag = content[from..].IndexOf(Tag);
            if (tag < 0)
            {
                from = content.Length;
                return false;
            }
            tag += from;
            from = tag + Tag.Length;
            if (from < content.Length && content[from] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                continue; // !!binaryish: another tag
            }
            int lineStart = content[..tag].LastIndexOf((byte)'\n') + 1;
            int keyIndent = Indent(content, lineStart);
            int i = Blanks(content, from);
            if (i < content.Length && content[i] is (byte)'|' or (byte)'>')
            {
                // A block scalar: indicators, maybe a comment, then its lines.
                int newline = content[i..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    continue;
                }
                i += newline + 1;
            }
            else
            {
                // Inline: the first piece is on the tag's line (maybe none, as in "\ ).
                int start = WrappedBase64.SkipIndent(content, i);
                int end = Symbols(content, start);
                if (end > start)
                {
                    pieces.Add((start, end - start));
                }
                bool ended = false;
                int next = end < content.Length ? WrappedBase64.NextLine(content, end, out ended) : -1;
                if (next < 0 || (ended && pieces.Count > 0))
                {
                    from = Math.Max(from, end);
                    if (pieces.Count > 0)
                    {
                        return true;
                    }
                    continue;
                }
                i = next;
            }
            from = MoreLines(content, i, keyIndent, maxSymbols, pieces);
            if (pieces.Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Lines indented past the key's, each holding only base64 (and its line end); the
    /// value ends at the first other line, or at padding or a closing quote.</summary>
    /// <returns>The offset past the last piece taken.</returns>
    private static int MoreLines(ReadOnlySpan<byte> content, int line, int keyIndent, int maxSymbols, List<(int Start, int Length)> pieces)
    {
        int total = pieces.Sum(p => p.Length);
        int end = line;
        while (line < content.Length && Indent(content, line) > keyIndent)
        {
            int start = WrappedBase64.SkipIndent(content, line);
            int stop = Symbols(content, start);
            int width = stop - start;
            bool ended = stop >= content.Length;
            int next = ended ? content.Length : WrappedBase64.NextLine(content, stop, out ended);
            if (width == 0 || next < 0 || total + width > maxSymbols)
            {
                break;
            }
            pieces.Add((start, width));
            total += width;
            end = stop;
            if (ended)
            {
                break;
            }
            line = next;
        }
        return end;
    }

    private static int Symbols(ReadOnlySpan<byte> content, int i)
    {
        while (i < content.Length && WrappedBase64.IsSymbol(content[i]))
        {
            i++;
        }
        return i;
    }

    private static int Blanks(ReadOnlySpan<byte> content, int i)
    {
        while (i < content.Length && content[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }
        return i;
    }

    /// <summary>Spaces and tabs at a line's start, and a list item's dash ("- key: …" sits one level in).</summary>
    private static int Indent(ReadOnlySpan<byte> content, int lineStart)
    {
        int i = Blanks(content, lineStart);
        if (i + 1 < content.Length && content[i] == '-' && content[i + 1] == ' ')
        {
            i = Blanks(content, i + 1);
        }
        return i - lineStart;
    }
}
