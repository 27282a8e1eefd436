namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>One kind of in-place escape (a JSON <c>\n</c>, a URL <c>%2F</c>): a byte that opens
/// it, and how to decode one escape. Static members so <see cref="EscapeRewriter"/> is
/// specialised per syntax and the per-escape call costs no delegate.</summary>
internal interface IEscapeSyntax
{
    /// <summary>The byte every escape of this syntax starts with.</summary>
    static abstract byte Introducer { get; }

    /// <summary>Decodes the escape at the start of <paramref name="input"/> (which starts with
    /// <see cref="Introducer"/>). On success writes the decoded bytes to <paramref name="output"/>
    /// and returns how many input bytes the escape spans; returns 0, writing nothing, when no valid
    /// escape starts here. Never writes more bytes than it consumes.</summary>
    static abstract int TryDecode(ReadOnlySpan<byte> input, Span<byte> output, out int written);
}
