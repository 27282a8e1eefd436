using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Decodes URL percent-encoding (<c>https%3A%2F%2Fadmin%3AS3cr3t%40db…</c>) across the whole blob.
/// At least two escapes are required: a lone <c>%41</c> is as likely a printf format or a CSS width
/// as an encoded URL, and a single decoded byte rarely completes a secret, so the second scan of
/// the blob would almost always be wasted.
/// </summary>
public sealed class PercentDecoder : IDecoder
{
    /// <summary>Fewest valid escapes a blob needs before it is decoded.</summary>
    public const int MinimumEscapes = 2;

    public string Name => "percent";

    public void Decode(Blob blob, List<Blob> output)
    {
        if (EscapeRewriter.Rewrite<PercentEscape>(blob.Content.Span, MinimumEscapes) is { } text)
        {
            output.Add(DecodedChild.Of(blob, Name, text.Content, text.Map));
        }
    }
}
