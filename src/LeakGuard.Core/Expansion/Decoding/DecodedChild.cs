using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>Builds the child blob a decoder emits: the parent's provenance, new bytes, and the way back.</summary>
internal static class DecodedChild
{
    public static Blob Of(Blob parent, string method, ReadOnlyMemory<byte> content, OffsetMap map) => new()
    {
        Path = parent.Path,
        FingerprintPath = parent.FingerprintPath,
        Content = content,
        Origin = parent.Origin,
        ArchiveDepth = parent.ArchiveDepth,
        DecodedFrom = new DecodedFrom(parent, method, map),
    };
}
