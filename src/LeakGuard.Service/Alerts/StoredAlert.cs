using LeakGuard.Storage;

namespace LeakGuard.Service.Alerts;

/// <summary>Turns a stored finding into the alert its channels send.</summary>
public static class StoredAlert
{
    private const string GitPrefix = "git:";

    public static Alert From(StoredFinding stored)
    {
        var finding = stored.Finding;
        // A git target names the repository; a github: target's findings carry no single repository.
        string? repository = stored.Target.StartsWith(GitPrefix, StringComparison.Ordinal) ? stored.Target[GitPrefix.Length..] : null;
        return new Alert(
            finding.RuleId,
            finding.Kind,
            finding.Severity,
            finding.Title,
            stored.Target,
            finding.Location.Path,
            finding.Secret,
            finding.Fingerprint,
            finding.Location.Package,
            finding.Location.Version,
            repository,
            finding.Location.Commit);
    }
}
