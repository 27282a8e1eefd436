using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>Decoded bytes and the map from their offsets back to the bytes they came from.</summary>
internal readonly record struct DecodedText(ReadOnlyMemory<byte> Content, OffsetMap Map);
