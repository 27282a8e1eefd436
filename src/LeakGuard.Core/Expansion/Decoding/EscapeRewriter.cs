namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Decodes every valid escape of one syntax in place and copies everything else, in one pass.
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

    /// <summary>The decoded text, or null when fewer than <paramref name="minimumEscapes"/> valid
    /// escapes occur (then decoding would reveal too little to be worth a second scan).</summary>
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
        input[..first].CopyTo(output);
        int read = first;
        int written = first;
        for (int escapes = 0; escapes < MaxEscapesPerBlob;)
        {
            int next = input[read..].IndexOf(TSyntax.Introducer);
            if (next < 0)
            {
                break;
            }
            input.Slice(read, next).CopyTo(output.AsSpan(written));
            read += next;
            written += next;
            int consumed = TSyntax.TryDecode(input[read..], output.AsSpan(written), out int produced);
            if (consumed == 0)
            {
                output[written++] = input[read++];
                continue;
            }
            read += consumed;
            written += produced;
            map.Add(written, read);
            escapes++;
        }
        input[read..].CopyTo(output.AsSpan(written));
        written += input.Length - read;
        return new DecodedText(output.AsMemory(0, written), map.Build());
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
