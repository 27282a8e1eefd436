using LeakGuard.Core.Expansion.Archives;
using LeakGuard.Core.Expansion.DotNet;
using LeakGuard.Core.Expansion.Images;
using LeakGuard.Core.Expansion.SourceMaps;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion;

/// <summary>What an expander did with a blob.</summary>
public enum ExpansionResult
{
    /// <summary>Not this expander's kind of blob.</summary>
    NotHandled,

    /// <summary>Members were emitted; the blob's own bytes are still matched (a .js file whose
    /// inline source map was expanded).</summary>
    ExpandedAndScan,

    /// <summary>The blob is a container: its members stand for it (an archive).</summary>
    Replaced,
}

/// <summary>Turns a blob into member blobs (archive members, a source map's original files).
/// Runs on blobs that are not decoded text; the first expander that handles a blob wins.</summary>
public interface IBlobExpander
{
    ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink);
}

/// <summary>The expanders a scan runs, in order.</summary>
public static class Expanders
{
    public static IReadOnlyList<IBlobExpander> Default(ScanOptions options) =>
        [new ImageExpander(options), new ArchiveExpander(options), new PortablePdbExpander(options), new SourceMapExpander(options), new SourceMappingUrlExpander()];
}
