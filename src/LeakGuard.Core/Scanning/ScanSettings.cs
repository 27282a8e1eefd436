using LeakGuard.Core.Configuration;
using LeakGuard.Core.Findings;
using LeakGuard.Matching;

namespace LeakGuard.Core.Scanning;

/// <summary>Everything a scan is built from, whoever asks for it (each command, the service): which
/// rules and engine, the limits, and the suppressions. One type, so an option means the same
/// wherever it is given.</summary>
public sealed record ScanSettings
{
    public ScanOptions Limits { get; init; } = new();

    public EngineKind Engine { get; init; } = EngineKind.Auto;

    public bool BuiltInRules { get; init; } = true;

    /// <summary>Rule files or folders added to (or, without built-in rules, replacing) the built-in ones.</summary>
    public IReadOnlyList<string> ExtraRules { get; init; } = [];

    /// <summary>Where the compiled Hyperscan database is cached.</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>An ignore file of fingerprints; null to look for <c>.leakguardignore</c> in
    /// <see cref="IgnoreFileFolders"/>.</summary>
    public string? IgnoreFile { get; init; }

    /// <summary>Folders searched in order for <c>.leakguardignore</c> when no ignore file is named.</summary>
    public IReadOnlyList<string> IgnoreFileFolders { get; init; } = [];

    /// <summary>Findings less likely to be real than this are not reported (nor counted by --fail-on).</summary>
    public Confidence MinConfidence { get; init; } = Confidence.Medium;

    /// <summary>A previous JSON report whose findings are not reported again.</summary>
    public string? Baseline { get; init; }

    /// <summary>Path globs a file, archive member or git path must match to be scanned (none: all).
    /// Sources apply them to what they list (a directory walk, git history); the scanner to archive
    /// members.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Path globs of files, archive members and git paths not to scan.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>The scanned directories: path allowlists see a file's path relative to the one it is in.</summary>
    public IReadOnlyList<string> ScanRoots { get; init; } = [];

    /// <summary>The configuration file these settings were read from, if any (for notes).</summary>
    public string? ConfigurationFile { get; init; }

    /// <summary>Rules (by id or tag) left out of the rule set; analyzer findings of them are dropped.</summary>
    public IReadOnlyList<RuleSelector> DisabledRules { get; init; } = [];

    /// <summary>Severity, confidence and allowlists of the rules each names.</summary>
    public IReadOnlyList<RuleOverride> RuleOverrides { get; init; } = [];

    /// <summary>What no rule reports.</summary>
    public Allowlist Allowlist { get; init; } = Allowlist.None;

    /// <summary>The installation's key for fingerprints (the user's, or the service store's); a
    /// process-wide random one unless set, so fingerprints are never unkeyed.</summary>
    public FingerprintKey FingerprintKey { get; init; } = FingerprintKey.Ephemeral;

    /// <summary>$LEAKGUARD_CACHE, else $XDG_CACHE_HOME/leakguard, else ~/.cache/leakguard.</summary>
    public static string DefaultCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("LEAKGUARD_CACHE") is { Length: > 0 } explicitDir)
        {
            return explicitDir;
        }
        string xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
            ? x
            : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Join(xdg, "leakguard");
    }
}
