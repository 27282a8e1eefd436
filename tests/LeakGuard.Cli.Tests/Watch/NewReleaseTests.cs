using LeakGuard.Cli.Watch;
using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;

namespace LeakGuard.Cli.Tests.Watch;

public class NewReleaseTests
{
    private static Finding Password(string version, string secret) => new()
    {
        RuleId = "test.password",
        Kind = FindingKind.Secret,
        Severity = Severity.Medium,
        Title = "Password",
        Location = new Location { Path = $"@acme/cli@{version}.tgz!package/config.js", Line = 1, Column = 1 },
        Secret = SecretText.Redact(secret),
        SecretDigest = FingerprintKey.Ephemeral.Digest(secret),
        Fingerprint = SecretText.Fingerprint("test.password", $"@acme/cli@{version}.tgz!package/config.js", FingerprintKey.Ephemeral.Digest(secret)),
    };

    private static NewRelease Store(string version, Finding finding) =>
        NewRelease.Compare("@acme/cli", new ReleaseContents(version, [], [finding], ReleaseContents.InsideItem), new Dictionary<string, string>());

    [Fact]
    public void The_store_fingerprint_follows_the_secret_not_its_redacted_form()
    {
        // Both redact to "…": a report cannot tell them apart, the store must.
        var first = Store("1.0.0", Password("1.0.0", "hunter2"));
        var changed = Store("1.0.1", Password("1.0.1", "swordf1"));
        var same = Store("1.0.2", Password("1.0.2", "hunter2"));

        Assert.NotEqual(first.Findings[0].Fingerprint, changed.Findings[0].Fingerprint);
        Assert.Equal(first.Findings[0].Fingerprint, same.Findings[0].Fingerprint);
    }
}
