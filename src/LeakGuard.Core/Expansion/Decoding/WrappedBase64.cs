namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Base64 wrapped across lines: PEM and MIME bodies (64 or 76 columns), YAML and JSON values
/// folded over indented lines, shell strings continued with a trailing backslash. A run continues
/// when it ends its line (bar padding, a closing quote or a backslash) and the next line, after
/// its indentation and an opening quote, holds a run of the same width that ends its line too, or
/// a shorter one that ends the value. Wrappers cut at a fixed width that is a multiple of 4 (a
/// whole number of base64 quanta), so only such a width is joined: the lines then decode together
/// exactly as the unwrapped value would, and a line of prose after a run is never taken for one.
/// Only the run the finder already found is looked past, so this costs nothing elsewhere.
/// </summary>
internal static class WrappedBase64
{
    /// <summary>Puts in <paramref name="pieces"/> the run at <paramref name="start"/> and the lines
    /// that continue it, up to <paramref name="maxSymbols"/> symbols in all.</summary>
    /// <returns>The offset just past the last piece.</returns>
    public static int Collect(ReadOnlySpan<byte> content, int start, int length, int maxSymbols, List<(int Start, int Length)> pieces)
    {
        pieces.Clear();
        pieces.Add((start, length));
        int end = start + length;
        if (length % 4 != 0)
        {
            return end;
        }
        int total = length;
        while (true)
        {
            int next = NextLine(content, end, out bool ended);
            if (ended || next < 0)
            {
                return end;
            }
            int from = SkipIndent(content, next);
            int to = from;
            while (to < content.Length && IsSymbol(content[to]))
            {
                to++;
            }
            int width = to - from;
            if (width == 0 || width > length || total + width > maxSymbols || (to < content.Length && NextLine(content, to, out _) < 0))
            {
                return end;
            }
            pieces.Add((from, width));
            total += width;
            end = to;
            if (width < length)
            {
                return end;
            }
        }
    }

    /// <summary>Where the line after a piece ending at <paramref name="at"/> starts, when nothing but
    /// padding, a closing quote or backslash and blanks follow it on its line; -1 otherwise.</summary>
    /// <param name="ended">Set when padding or a closing quote ended the value on this line.</param>
    internal static int NextLine(ReadOnlySpan<byte> content, int at, out bool ended)
    {
        ended = false;
        int i = at;
        for (int padding = 0; padding < 2 && i < content.Length && content[i] == '='; padding++)
        {
            i++;
            ended = true;
        }
        i = SkipBlanks(content, i);
        if (i < content.Length && content[i] is (byte)'"' or (byte)'\'')
        {
            ended = true;
            i++;
        }
        else if (i < content.Length && content[i] == '\\')
        {
            i++;
        }
        i = SkipBlanks(content, i);
        if (i < content.Length && content[i] == '\r')
        {
            i++;
        }
        return i < content.Length && content[i] == '\n' ? i + 1 : -1;
    }

    /// <summary>Past a line's indentation and one opening quote.</summary>
    internal static int SkipIndent(ReadOnlySpan<byte> content, int at)
    {
        int i = SkipBlanks(content, at);
        return i < content.Length && content[i] is (byte)'"' or (byte)'\'' ? i + 1 : i;
    }

    internal static bool IsSymbol(byte c) => Base64Alphabet.Classify(c) != Base64Alphabet.SymbolClass.None;

    private static int SkipBlanks(ReadOnlySpan<byte> content, int i)
    {
        while (i < content.Length && content[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }
        return i;
    }
}
