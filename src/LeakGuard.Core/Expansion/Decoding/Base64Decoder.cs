using System.Buffers;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Decodes runs of base64 (standard or URL-safe) that hold text, e.g. a Kubernetes secret value, a
/// JWT payload or a base64'd .env file. Each kept run is its own child; a finding in it points at
/// the symbol where the secret's first byte begins (<see cref="OffsetMap.Base64"/>). Runs are found in one pass
/// (<see cref="Base64RunFinder"/>); what they decode to must look like text
/// (<see cref="PrintableText"/>), so binary blobs and hashes yield nothing.
/// </summary>
public sealed class Base64Decoder : IDecoder
{
    /// <summary>24 symbols decode to 18 bytes: room for a keyword plus a secret worth reporting
    /// (the shortest common token, an AWS key id, is 20 bytes). Shorter runs are overwhelmingly
    /// identifiers and words, each of which would cost a decode.</summary>
    public const int MinRunLength = 24;

    /// <summary>A longer run is decoded in pieces of this many symbols, each its own child, so one
    /// child never exceeds 768 KiB. A multiple of 4, so every piece starts on a base64 quantum and
    /// decodes exactly as it would inside the whole run.</summary>
    public const int MaxRunLength = 1024 * 1024;

    /// <summary>Children one blob may yield: a file of a million short base64 lines must not
    /// become a million blobs.</summary>
    public const int MaxChildrenPerBlob = 256;

    /// <summary>Decoded bytes one blob may yield in all; past it the rest of the blob is not decoded.</summary>
    public const int MaxDecodedBytesPerBlob = 16 * 1024 * 1024;

    public string Name => "base64";

    public void Decode(Blob blob, List<Blob> output)
    {
        var content = blob.Content.Span;
        var runs = new Base64RunFinder(content, MinRunLength);
        byte[]? scratch = null;
        int children = 0;
        int decodedBytes = 0;
        try
        {
            while (runs.TryNext(out int start, out int remaining))
            {
                while (remaining >= MinRunLength)
                {
                    int pieceStart = start;
                    int pieceLength = Math.Min(remaining, MaxRunLength);
                    start += pieceLength;
                    remaining -= pieceLength;
                    var decoded = DecodeInto(content.Slice(pieceStart, pieceLength), ref scratch);
                    if (!PrintableText.IsMostlyPrintable(decoded))
                    {
                        continue;
                    }
                    if (decodedBytes + decoded.Length > MaxDecodedBytesPerBlob)
                    {
                        return;
                    }
                    decodedBytes += decoded.Length;
                    output.Add(DecodedChild.Of(blob, Name, decoded.ToArray(), OffsetMap.Base64(pieceStart)));
                    if (++children == MaxChildrenPerBlob)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>Decodes into a pooled buffer reused across runs, since most runs decode to noise
    /// that is dropped at once.</summary>
    private static ReadOnlySpan<byte> DecodeInto(ReadOnlySpan<byte> symbols, ref byte[]? scratch)
    {
        int size = Base64Alphabet.DecodedLength(symbols.Length);
        if (scratch is null || scratch.Length < size)
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
            scratch = ArrayPool<byte>.Shared.Rent(size);
        }
        return scratch.AsSpan(0, Base64Alphabet.Decode(symbols, scratch));
    }
}
