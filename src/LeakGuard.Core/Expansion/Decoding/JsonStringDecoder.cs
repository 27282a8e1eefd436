using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Turns JSON string escapes back into the text they stand for, so a PEM key stored in a JSON
/// value (<c>"-----BEGIN…-----\nMIIE…"</c>) becomes the multi-line text PEM rules expect. The
/// child is the whole blob with escapes decoded, not just the strings: finding string bounds
/// would mean parsing JSON that may be broken or not JSON at all (a .js or .env file), and every
/// unescaped byte maps back to exactly where it was.
/// </summary>
public sealed class JsonStringDecoder : IDecoder
{
    public string Name => "json-string";

    public void Decode(Blob blob, List<Blob> output)
    {
        if (EscapeRewriter.Rewrite<JsonStringEscape>(blob.Content.Span, minimumEscapes: 1) is { } text)
        {
            output.Add(DecodedChild.Of(blob, Name, text.Content, text.Map));
        }
    }
}
