namespace LeakGuard.Core.Findings;

/// <summary>Where a finding is. Path names archive members with '!'; the git and package
/// fields are filled by the sources that know them.</summary>
public sealed record Location
{
    public required string Path { get; init; }
    public int? Line { get; init; }
    public int? Column { get; init; }
    public string? Commit { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string? Package { get; init; }
    public string? Version { get; init; }
}

/// <summary>One thing LeakGuard reports.</summary>
public sealed record Finding
{
    public required string RuleId { get; init; }
    public required FindingKind Kind { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>How likely the finding is real (severity says how bad it is if it is).</summary>
    public Confidence Confidence { get; init; } = Confidence.High;

    public required string Title { get; init; }
    public required Location Location { get; init; }

    /// <summary>The secret, redacted; null for findings without one.</summary>
    public string? Secret { get; init; }

    /// <summary>The keyed digest of the unredacted secret (<see cref="FingerprintKey.Digest"/>);
    /// null for findings without one. Not part of any report.</summary>
    public string? SecretDigest { get; init; }

    /// <summary>Stable across commits and re-runs: rule, path and the secret's keyed digest, never
    /// line or commit.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The lines around the secret, redacted as <see cref="Secret"/> is; null for findings
    /// without a secret.</summary>
    public CodeContext? Context { get; init; }

    /// <summary>What the provider said of the secret (<c>--validate</c>); null when it was not asked.</summary>
    public ValidationResult? Validation { get; init; }

    /// <summary>Rule-specific facts (e.g. "decoded": "base64", counts for exposures).</summary>
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();
}

/// <summary>Something the user should know that is not a finding: a file that could not be
/// read, an archive that was truncated.</summary>
public sealed record ScanWarning(string Path, string Message);
