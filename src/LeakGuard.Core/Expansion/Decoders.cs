using LeakGuard.Core.Expansion.Decoding;

namespace LeakGuard.Core.Expansion;

/// <summary>The decoders a scan runs, in order.</summary>
public static class Decoders
{
    public static IReadOnlyList<IDecoder> Default { get; } = [new JsonStringDecoder(), new Base64Decoder(), new PercentDecoder()];
}
