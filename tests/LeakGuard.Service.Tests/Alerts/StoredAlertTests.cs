using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Service.Alerts;
using LeakGuard.Storage;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class StoredAlertTests
{
    private static StoredFinding Stored(IReadOnlyDictionary<string, object?> details) => new(
        7,
        "npm:@acme/*",
        new Finding
        {
            RuleId = "github.pat",
            Kind = FindingKind.Secret,
            Severity = Severity.Critical,
            Title = "GitHub personal access token (classic)",
            Location = new Location { Path = "@acme/cli@2.1.0.tgz!package/dist/cli.js", Package = "@acme/cli", Version = "2.1.0" },
            Secret = "ghp_…G5iK",
            Fingerprint = "c8763015c2043d3cc85ff39f2231b281",
            Details = details,
        },
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch,
        TriageStatus.Open);

    [Fact]
    public void Release_details_read_back_from_the_store_as_json_become_the_alerts_release_fields()
    {
        // The store keeps details as JSON text and hands them back as JSON elements.
        var details = JsonSerializer.Deserialize<Dictionary<string, object?>>(
            """{"newSince":"2.0.9","releaseChanges":["@acme/cli 2.1.0 adds package/dist/cli.js.map (137 B); not in 2.0.9"]}""")!;

        var alert = StoredAlert.From(Stored(details));

        Assert.Equal("2.0.9", alert.NewSince);
        Assert.Equal(["@acme/cli 2.1.0 adds package/dist/cli.js.map (137 B); not in 2.0.9"], alert.ReleaseChanges);
        Assert.Equal("@acme/cli", alert.Package);
    }

    [Fact]
    public void A_finding_without_release_details_has_none()
    {
        var alert = StoredAlert.From(Stored(new Dictionary<string, object?> { ["newSince"] = 3 }));

        Assert.Null(alert.NewSince);
        Assert.Empty(alert.ReleaseChanges!);
    }
}
