using System.Buffers;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>
/// Decodes runs of base64 (standard or URL-safe) that hold text, e.g. a Kubernetes secret value, a
/// JWT payload or a base64'd .env file. Each kept run is its own child; a finding in it points at
/// the symbol where the secret's first byte begins (<see cref="OffsetMap.Base64"/>). Runs are found in one pass
/// (<see cref="Base64RunFinder"/>); what they decode to must look like text
/// (<see cref="PrintableText"/>), so binary blobs and hashes yield nothing. A value wrapped over
/// lines (<see cref="WrappedBase64"/>) or tagged <c>!!binary</c> in YAML (<see cref="YamlBinaryValues"/>)
/// is decoded as one; a finding in it points at the symbol, in the line that holds it, where the
/// secret's first byte begins.
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

    // Reused by each thread: every blob is decoded, and few have a wrapped or tagged value.
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_pieces;

    [ThreadStatic]
    private static List<(int Start, int End)>? t_tagged;

    public string Name => "base64";

    /// <summary>The fewest symbols a <c>!!binary</c> value is decoded from: one quantum, 3 bytes.</summary>
    private const int MinTaggedLength = 4;

    public void Decode(Blob blob, List<Blob> output)
    {
        var content = blob.Content.Span;
        var runs = new Base64RunFinder(content, MinRunLength);
        byte[]? scratch = null;
        byte[]? joined = null;
        int children = 0;
        int decodedBytes = 0;
        var pieces = t_pieces ??= [];
        // Tagged values first; the runs they are made of are not decoded again on their own.
        var tagged = t_tagged ??= [];
        tagged.Clear();
        int nextTagged = 0;
        int triedUpTo = 0;

        // Decodes a value made of several pieces; false when the blob has yielded all it may.
        bool EmitJoined(ReadOnlySpan<byte> content, List<(int Start, int Length)> pieces, out bool emitted)
        {
            emitted = false;
            int symbols = pieces.Sum(p => p.Length);
            if (joined is null || joined.Length < symbols)
            {
                if (joined is not null)
                {
                    ArrayPool<byte>.Shared.Return(joined);
                }
                joined = ArrayPool<byte>.Shared.Rent(symbols);
            }
            int at = 0;
            foreach (var (start, length) in pieces)
            {
                content.Slice(start, length).CopyTo(joined.AsSpan(at));
                at += length;
            }
            var decoded = DecodeInto(joined.AsSpan(0, symbols), ref scratch);
            if (!PrintableText.IsMostlyPrintable(decoded))
            {
                return true;
            }
            if (decodedBytes + decoded.Length > MaxDecodedBytesPerBlob)
            {
                return false;
            }
            decodedBytes += decoded.Length;
            var map = pieces.Count == 1 ? OffsetMap.Base64(pieces[0].Start) : PieceMap(pieces);
            output.Add(DecodedChild.Of(blob, Name, decoded.ToArray(), map));
            emitted = true;
            return ++children < MaxChildrenPerBlob;
        }

        try
        {
            for (int from = 0; YamlBinaryValues.TryNext(content, ref from, MaxRunLength, pieces);)
            {
                if (pieces.Sum(p => p.Length) < MinTaggedLength)
                {
                    continue;
                }
                if (!EmitJoined(content, pieces, out bool emitted))
                {
                    return;
                }
                if (emitted)
                {
                    tagged.Add((pieces[0].Start, pieces[^1].Start + pieces[^1].Length));
                }
            }
            while (runs.TryNext(out int start, out int remaining))
            {
                while (nextTagged < tagged.Count && tagged[nextTagged].End <= start)
                {
                    nextTagged++;
                }
                if (nextTagged < tagged.Count && tagged[nextTagged].Start <= start)
                {
                    runs.ResumeAt(tagged[nextTagged].End);
                    continue;
                }
                // A run on a line of a block already tried whole is decoded on its own, as before:
                // so each line is joined at most once, and a block of noise costs its length.
                if (remaining <= MaxRunLength && start >= triedUpTo)
                {
                    int end = WrappedBase64.Collect(content, start, remaining, MaxRunLength, pieces);
                    if (pieces.Count > 1)
                    {
                        if (!EmitJoined(content, pieces, out bool emitted))
                        {
                            return;
                        }
                        if (emitted)
                        {
                            runs.ResumeAt(end);
                            continue;
                        }
                        triedUpTo = end;
                    }
                }
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
            if (joined is not null)
            {
                ArrayPool<byte>.Shared.Return(joined);
            }
        }
    }

    /// <summary>Maps text decoded from <paramref name="pieces"/> back to the symbol in the line that holds it.</summary>
    private static OffsetMap PieceMap(List<(int Start, int Length)> pieces)
    {
        var starts = new int[pieces.Count];
        var before = new int[pieces.Count];
        for (int i = 0, symbols = 0; i < pieces.Count; symbols += pieces[i].Length, i++)
        {
            starts[i] = pieces[i].Start;
            before[i] = symbols;
        }
        return OffsetMap.Base64Pieces(starts, before);
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
