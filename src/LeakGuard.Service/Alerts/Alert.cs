using LeakGuard.Core.Findings;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// One new finding to tell someone about, with what the target adds to it: the repository of a
/// git finding, and for a package, the previous version (<paramref name="NewSince"/>) when the
/// finding is new compared with it and what that version added, grew or dropped
/// (<paramref name="ReleaseChanges"/>). The finding's secret is already redacted.
/// <paramref name="Event"/> is <c>finding.new</c>, <c>finding.live-again</c> when a credential its
/// provider had refused works again, or <c>finding.reopened</c> when a resolved finding is found again.
/// </summary>
public sealed record Alert(
    string Target,
    Finding Finding,
    string? Repository = null,
    string? NewSince = null,
    IReadOnlyList<string>? ReleaseChanges = null,
    string Event = Storage.OutboxMessage.NewFinding)
{
    public string RuleId => Finding.RuleId;
    public Severity Severity => Finding.Severity;
    public string Title => Finding.Title;
    public string Path => Finding.Location.Path;
    public string? Secret => Finding.Secret;
    public string Fingerprint => Finding.Fingerprint;
    public string? Package => Finding.Location.Package;
    public string? Version => Finding.Location.Version;
    public string? Commit => Finding.Location.Commit;
}
