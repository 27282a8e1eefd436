namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Decodes every valid escape of one syntax on the lines that hold one, in one pass.
/// Invalid escapes are copied verbatim, so malformed input never fails. Escapes never decode to
/// more bytes than they span, so the output fits in a buffer the size of the input.
/// </summary>
internal static class EscapeRewriter
{
    /// <summary>Escapes decoded per blob; the rest is copied as it is. Each costs a map checkpoint
    /// (8 bytes), so a hostile file of nothing but <c>\\</c> would otherwise need a map four times
    /// its own size. 4M escapes (a 32 MiB map) covers JSON and URL-encoded files of tens of
    /// megabytes; past that, the cost of a second copy outweighs what a tail could still reveal.</summary>
    public const int MaxEscapesPerBlob = 1 << 22;

    /// <summary>The decoded lines, or null when fewer than <paramref name="minimumEscapes"/> valid
    /// escapes occur (then decoding would reveal too little to be worth a second scan). Only lines
    /// holding an escape are copied: a source file with a few "\n" literals must not be matched
    /// twice over, and escapes never span lines. Each line starts with a map checkpoint.</summary>
    public static DecodedText? Rewrite<TSyntax>(ReadOnlySpan<byte> input, int minimumEscapes)
        where TSyntax : IEscapeSyntax
    {
        int first = FirstEscape<TSyntax>(input, Math.Max(1, minimumEscapes));
        if (first < 0)
        {
            return null;
        }
        byte[] output = GC.AllocateUninitializedArray<byte>(input.Length);
        var map = new LinearOffsetMapBuilder();
        int written = 0;
        int escapes = 0;
        // From one introducer to the next: the lines between are stepped over in one search, not
        // looked at one by one (most lines of a large file hold none). Each step starts a line.
        for (int from = input[..first].LastIndexOf((byte)'\n') + 1; from < input.Length && escapes < MaxEscapesPerBlob;)
        {
            int next = input[from..].IndexOf(TSyntax.Introducer);
            if (next < 0)
            {
                break;
            }
            int at = from + next;
            int line = from + input[from..at].LastIndexOf((byte)'\n') + 1;
            int newline = input[at..].IndexOf((byte)'\n');
            int end = newline < 0 ? input.Length : at + newline + 1;
            map.Add(written, line);
            written = RewriteLine<TSyntax>(input[line..end], line, output, written, map, ref escapes);
            from = end;
        }
        return new DecodedText(output.AsMemory(0, written), map.Build());
    }

    /// <summary>Decodes one line starting at <paramref name="origin"/> in the input into
    /// <paramref name="output"/> at <paramref name="written"/>; returns the new write position.</summary>
    private static int RewriteLine<TSyntax>(ReadOnlySpan<byte> line, int origin, byte[] output, int written,
        LinearOffsetMapBuilder map, ref int escapes)
        where TSyntax : IEscapeSyntax
    {
        int read = 0;
        while (escapes < MaxEscapesPerBlob)
        {
            int next = line[read..].IndexOf(TSyntax.Introducer);
            if (next < 0)
            {
                break;
            }
            line.Slice(read, next).CopyTo(output.AsSpan(written));
            read += next;
            written += next;
            int consumed = TSyntax.TryDecode(line[read..], output.AsSpan(written), out int produced);
            if (consumed == 0)
            {
                output[written++] = line[read++];
                continue;
            }
            read += consumed;
            written += produced;
            map.Add(written, origin + read);
            escapes++;
        }
        line[read..].CopyTo(output.AsSpan(written));
        return written + line.Length - read;
    }

    /// <summary>Where the first valid escape starts, provided at least <paramref name="minimum"/>
    /// occur; else -1. Stops as soon as it has seen enough, so the common case costs little.</summary>
    private static int FirstEscape<TSyntax>(ReadOnlySpan<byte> input, int minimum)
        where TSyntax : IEscapeSyntax
    {
        Span<byte> scratch = stackalloc byte[16];
        int first = -1;
        int found = 0;
        int at = 0;
        while (found < minimum)
        {
            int next = input[at..].IndexOf(TSyntax.Introducer);
            if (next < 0)
            {
                return -1;
            }
            at += next;
            int consumed = TSyntax.TryDecode(input[at..], scratch, out _);
            if (consumed == 0)
            {
                at++;
                continue;
            }
            if (found++ == 0)
            {
                first = at;
            }
            at += consumed;
        }
        return first;
    }
}
