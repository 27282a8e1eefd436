using LeakGuard.Core.Findings;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// One new finding to tell someone about. Package/version are set for registry targets,
/// repository/commit for git targets. <paramref name="Secret"/> is already redacted, and null
/// for findings without one (an exposed source map). <paramref name="NewSince"/> is the previous
/// version of the package when this finding is new compared with it, and
/// <paramref name="ReleaseChanges"/> what that version added, grew or dropped.
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
    string? Commit = null,
    string? NewSince = null,
    IReadOnlyList<string>? ReleaseChanges = null);
