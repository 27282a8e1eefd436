using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion;

/// <summary>Finds encoded text inside a blob (JSON string escapes, base64, percent-encoding) and
/// returns it decoded, as child blobs that map their offsets back to the parent.</summary>
public interface IDecoder
{
    /// <summary>The method name findings report, e.g. "base64".</summary>
    string Name { get; }

    /// <summary>Appends decoded children of <paramref name="blob"/> to <paramref name="output"/>.
    /// Each child has the parent's path, origin and depth, and <see cref="Blob.DecodedFrom"/> set.
    /// Must cost time linear in the blob and never throw on malformed input.</summary>
    void Decode(Blob blob, List<Blob> output);
}
