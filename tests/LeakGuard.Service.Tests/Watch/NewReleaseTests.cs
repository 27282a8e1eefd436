using LeakGuard.Service.Watch;
using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;

namespace LeakGuard.Service.Tests.Watch;

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

    private static Finding Exposure(string version, string ruleId, Severity severity) => new()
    {
        RuleId = ruleId,
        Kind = FindingKind.Exposure,
        Severity = severity,
        Title = ruleId,
        Location = new Location { Path = $"@acme/cli@{version}.tgz!package/dist/cli.js.map", Package = "@acme/cli", Version = version },
        Fingerprint = "f",
    };

    private static NewRelease Release(string version, IReadOnlyDictionary<string, string> recorded, params Finding[] findings) =>
        NewRelease.Compare("@acme/cli", new ReleaseContents(version, [], findings, ReleaseContents.InsideItem), recorded);

    [Fact]
    public void One_exposed_file_is_one_finding_and_each_release_that_exposes_it_is_another_naming_the_one_before()
    {
        var first = Release("1.1.0", new Dictionary<string, string>(),
            Exposure("1.1.0", "leakguard.source-map-sources", Severity.High), Exposure("1.1.0", "leakguard.map-in-closed-package", Severity.Critical));
        var map = Assert.Single(first.Findings);
        Assert.Equal("leakguard.map-in-closed-package", map.RuleId);
        Assert.Equal(["leakguard.source-map-sources"], (IEnumerable<string>)map.Details["alsoFound"]!);

        var recorded = new Dictionary<string, string> { ["1.1.0"] = ReleaseManifest.Of(first.Contents).ToJson() };
        var next = Release("1.2.0", recorded, Exposure("1.2.0", "leakguard.map-in-closed-package", Severity.Critical));
        var again = Assert.Single(next.Findings);
        Assert.NotEqual(map.Fingerprint, again.Fingerprint);
        Assert.Equal("1.1.0", again.Details["exposedBefore"]);
    }
}
