namespace LeakGuard.Core.Findings;

/// <summary>Ordered so that a larger value is more severe.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>How likely a finding is real, ordered so that a larger value is more certain.</summary>
public enum Confidence
{
    Low,
    Medium,
    High,
}

public enum FindingKind
{
    Secret,
    Exposure,
    Fingerprint,
}

public static class SeverityNames
{
    /// <summary>Most severe first, as options list them.</summary>
    public static IReadOnlyList<string> All { get; } = ["critical", "high", "medium", "low", "info"];

    public static string Name(this Severity severity) => severity.ToString().ToLowerInvariant();

    public static string Name(this FindingKind kind) => kind.ToString().ToLowerInvariant();

    public static string Name(this Confidence confidence) => confidence.ToString().ToLowerInvariant();

    /// <summary>Most certain first, as options list them.</summary>
    public static IReadOnlyList<string> AllConfidences { get; } = ["high", "medium", "low"];

    public static bool TryParseConfidence(string? text, out Confidence confidence) =>
        Enum.TryParse(text, ignoreCase: true, out confidence) && Enum.IsDefined(confidence) && !int.TryParse(text, out _);

    public static bool TryParse(string? text, out Severity severity) =>
        Enum.TryParse(text, ignoreCase: true, out severity) && Enum.IsDefined(severity) && !int.TryParse(text, out _);

    public static bool TryParseKind(string? text, out FindingKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);
}
