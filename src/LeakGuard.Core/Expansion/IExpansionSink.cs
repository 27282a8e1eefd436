using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion;

/// <summary>What an expander may do with what it finds inside a blob.</summary>
public interface IExpansionSink
{
    /// <summary>Scan a member now (depth-first, so its bytes can be released right after).</summary>
    void Member(Blob member);

    /// <summary>Marks bytes of <paramref name="blob"/> that were just expanded into members (an
    /// inline source map) while the blob itself is still scanned: decoders skip them, so what the
    /// members report is not reported again from the encoded text.</summary>
    void Expanded(Blob blob, int start, int length);

    void Warn(string path, string message);

    void Report(Finding finding);

    /// <summary>What the top-level input being expanded reveals about its package: exposures
    /// whose severity waits for the package's manifest, and source map references.</summary>
    ReleaseContext Release { get; }
}
