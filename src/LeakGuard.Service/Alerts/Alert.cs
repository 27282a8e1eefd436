using LeakGuard.Core.Findings;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// One new finding to tell someone about. Package/version are set for registry targets,
/// repository/commit for git targets. <paramref name="Secret"/> is already redacted, and null
/// for findings without one (an exposed source map).
/// </summary>
public sealed record Alert(
    string RuleId,
    FindingKind Kind,
    Severity Severity,
    string Title,
    string Target,
    string Path,
    string? Secret,
    string Fingerprint,
    string? Package = null,
    string? Version = null,
    string? Repository = null,
    string? Commit = null);
