using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>Rules whose findings come from analyzers rather than patterns; listed so that reports
/// (SARIF's rule table) can describe them like any other rule.</summary>
public static class AnalyzerRules
{
    public static readonly Rule ArchiveBomb = new()
    {
        Id = "leakguard.archive-bomb",
        Name = "Archive expands beyond the scan's limits (possible decompression bomb)",
        Kind = FindingKind.Exposure,
        Severity = Severity.Medium,
        References = ["https://en.wikipedia.org/wiki/Zip_bomb"],
    };

    /// <summary>Severity is settled per package (see Exposure/ExposureFindings): critical when the
    /// package is not open source, low when it is, high when no manifest says.</summary>
    public static readonly Rule SourceMapSources = new()
    {
        Id = "leakguard.source-map-sources",
        Name = "Source map embeds original source (sourcesContent)",
        Kind = FindingKind.Exposure,
        Severity = Severity.Critical,
        References = ["https://tc39.es/ecma426/", "https://cwe.mitre.org/data/definitions/540.html"],
    };

    public static readonly Rule PdbEmbeddedSources = new()
    {
        Id = "leakguard.pdb-embedded-sources",
        Name = "Portable PDB embeds original source",
        Kind = FindingKind.Exposure,
        Severity = Severity.Critical,
        References = ["https://github.com/dotnet/runtime/blob/main/docs/design/specs/PortablePdb-Metadata.md#embedded-source-c-and-vb-compilers"],
    };

    public static readonly Rule SourceLink = new()
    {
        Id = "leakguard.source-link",
        Name = "PDB Source Link reveals source repository URLs",
        Kind = FindingKind.Exposure,
        Severity = Severity.Info,
        References = ["https://github.com/dotnet/designs/blob/main/accepted/2020/diagnostics/source-link.md"],
    };

    public static readonly Rule RemoteSourceMap = new()
    {
        Id = "leakguard.remote-source-map",
        Name = "sourceMappingURL points at a source map served over HTTP(S)",
        Kind = FindingKind.Exposure,
        Severity = Severity.Medium,
        References = ["https://tc39.es/ecma426/#sec-linking-generated-code"],
    };

    public static readonly Rule MapInClosedPackage = new()
    {
        Id = "leakguard.map-in-closed-package",
        Name = "Source map shipped in a package that is not open source",
        Kind = FindingKind.Exposure,
        Severity = Severity.High,
        References = ["https://docs.npmjs.com/cli/configuring-npm/package-json#license"],
    };

    /// <summary>A scanned text shares code with a codebase of the <c>--protected</c> index (Protection/).</summary>
    public static readonly Rule ProtectedCode = new()
    {
        Id = "leakguard.protected-code",
        Name = "Copy of protected code",
        Kind = FindingKind.Exposure,
        Severity = Severity.Critical,
        References = ["https://theory.stanford.edu/~aiken/publications/papers/sigmod03.pdf"],
    };

    public static IReadOnlyList<Rule> All { get; } =
        [ArchiveBomb, SourceMapSources, PdbEmbeddedSources, SourceLink, RemoteSourceMap, MapInClosedPackage, ProtectedCode];
}
