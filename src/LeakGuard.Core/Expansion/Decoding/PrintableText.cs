using System.Buffers;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>Tells decoded text from decoded noise: base64 of an image, a hash or a random id
/// decodes to bytes that are mostly unprintable, and scanning them would only cost time.</summary>
internal static class PrintableText
{
    /// <summary>Up to one byte in ten may be something else (a stray UTF-8 sequence, an escape).</summary>
    private const int OtherBytesPerTen = 1;

    private static readonly SearchValues<byte> Printable = SearchValues.Create(
        [(byte)'\t', (byte)'\n', (byte)'\r', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (byte)c)]);

    /// <summary>True when at least 90% of the bytes are printable ASCII, tab, CR or LF, and none is NUL.</summary>
    public static bool IsMostlyPrintable(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Contains((byte)0))
        {
            return false;
        }
        int allowed = bytes.Length * OtherBytesPerTen / 10;
        int others = 0;
        int next;
        while ((next = bytes.IndexOfAnyExcept(Printable)) >= 0)
        {
            if (++others > allowed)
            {
                return false;
            }
            bytes = bytes[(next + 1)..];
        }
        return true;
    }
}
