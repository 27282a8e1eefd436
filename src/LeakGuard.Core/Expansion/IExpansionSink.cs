using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion;

/// <summary>What an expander may do with what it finds inside a blob.</summary>
public interface IExpansionSink
{
    /// <summary>Scan a member. Its expansion (an archive or map inside it) happens now, depth-first;
    /// matching and decoding its text happen now too, unless its bytes last
    /// (<see cref="Blob.Lasting"/>): then they may wait for another core, until its top-level
    /// input is done.</summary>
    void Member(Blob member);

    /// <summary>Scan a member whose bytes the expander lends until <paramref name="release"/> is
    /// called (a pooled buffer): as <see cref="Member(Blob)"/>, but its matching may wait for another
    /// core even though its bytes do not last, and <paramref name="release"/> is called once nothing
    /// reads them any more. What is inside it does not last either.</summary>
    void Member(Blob member, Action release)
    {
        try
        {
            Member(member);
        }
        finally
        {
            release();
        }
    }

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
