using System.Text;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>Runs one decoder over text the way the scanner does, and reads children back as text.</summary>
internal static class DecoderRun
{
    public static Blob BlobOf(string text) => BlobOf(Encoding.UTF8.GetBytes(text));

    public static Blob BlobOf(byte[] content) => new() { Path = "config/app.json", Content = content };

    public static List<Blob> On(IDecoder decoder, string text) => On(decoder, BlobOf(text));

    public static List<Blob> On(IDecoder decoder, Blob blob)
    {
        var children = new List<Blob>();
        decoder.Decode(blob, children);
        return children;
    }

    public static string TextOf(Blob blob) => Encoding.UTF8.GetString(blob.Content.Span);

    public static int ToOriginal(Blob child, int offset) => child.DecodedFrom!.Map.ToOriginal(offset);
}
