using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Exposure;

/// <summary>A container (source map, PDB) found to carry original source, waiting for its package's
/// manifest to settle how severe that is. <paramref name="Details"/> adds facts of its own kind
/// (e.g. a PDB's Source Link repositories) to the statistics.</summary>
public sealed record EmbeddedSourceExposure(Rule Rule, Blob Container, EmbeddedSourceStats Stats, IReadOnlyDictionary<string, object?>? Details = null);
