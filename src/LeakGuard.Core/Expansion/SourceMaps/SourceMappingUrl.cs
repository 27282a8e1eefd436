using System.Buffers;
using System.Buffers.Text;
using System.Text;
using LeakGuard.Core.Expansion.Decoding;

namespace LeakGuard.Core.Expansion.SourceMaps;

/// <summary>
/// The trailing <c>//# sourceMappingURL=…</c> (or <c>/*# … */</c>, or the old <c>//@</c> form) of a
/// script or stylesheet: where in the file its URL is, and the URL's first characters as text.
/// Only the last one counts, as in browsers. A data: URL stays bytes until it is decoded.
/// </summary>
public readonly record struct SourceMappingUrl(int Offset, int Length, string Text)
{
    /// <summary>Characters of the URL kept as text: enough for any real path or host, while an
    /// inline map of many megabytes is never turned into a string.</summary>
    private const int MaxTextLength = 2048;

    private static ReadOnlySpan<byte> Marker => "sourceMappingURL="u8;

    public bool IsData => Text.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    public bool IsHttp => Text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || Text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static SourceMappingUrl? Find(ReadOnlySpan<byte> content)
    {
        int at = content.LastIndexOf(Marker);
        if (at < 0 || !IsCommentBefore(content[..at]))
        {
            return null;
        }
        int start = at + Marker.Length;
        var url = content[start..];
        int end = url.IndexOfAny(" \t\r\n\"'"u8);
        url = end < 0 ? url : url[..end];
        int close = url.IndexOf("*/"u8);
        url = close < 0 ? url : url[..close];
        if (url.IsEmpty)
        {
            return null;
        }
        return new SourceMappingUrl(start, url.Length, Encoding.UTF8.GetString(url[..Math.Min(url.Length, MaxTextLength)]));
    }

    private static bool IsCommentBefore(ReadOnlySpan<byte> before)
    {
        before = before.TrimEnd(" \t"u8);
        if (before.IsEmpty || before[^1] is not ((byte)'#' or (byte)'@'))
        {
            return false;
        }
        before = before[..^1].TrimEnd(" \t"u8);
        return before.EndsWith("//"u8) || before.EndsWith("/*"u8);
    }

    /// <summary>Decodes a data: URL's payload (base64 or percent-encoded); null when it does not decode.</summary>
    public byte[]? DecodeData(ReadOnlySpan<byte> content)
    {
        var url = content.Slice(Offset, Length);
        int comma = url.IndexOf((byte)',');
        if (comma < 0)
        {
            return null;
        }
        var payload = url[(comma + 1)..];
        if (url[..comma].EndsWith(";base64"u8))
        {
            var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(payload.Length)];
            return Base64.DecodeFromUtf8(payload, decoded, out _, out int written) == OperationStatus.Done ? decoded[..written] : null;
        }
        return PercentDecode(payload);
    }

    private static byte[] PercentDecode(ReadOnlySpan<byte> text)
    {
        var decoded = new byte[text.Length];
        int written = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int high = i + 2 < text.Length && text[i] == '%' ? HexDigit.Value(text[i + 1]) : -1;
            int low = high >= 0 ? HexDigit.Value(text[i + 2]) : -1;
            if (low >= 0)
            {
                decoded[written++] = (byte)(high << 4 | low);
                i += 2;
            }
            else
            {
                decoded[written++] = text[i];
            }
        }
        return decoded[..written];
    }
}
