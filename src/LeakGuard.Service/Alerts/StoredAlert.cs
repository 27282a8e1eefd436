using System.Text.Json;
using LeakGuard.Storage;

namespace LeakGuard.Service.Alerts;

/// <summary>Turns a stored finding into the alert its channels send.</summary>
public static class StoredAlert
{
    private const string GitPrefix = "git:";

    public static Alert From(OutboxMessage message) => From(message.Finding) with { Event = message.Event };

    public static Alert From(StoredFinding stored)
    {
        var finding = stored.Finding;
        // A git target names the repository; a github: target's findings each name theirs in details.
        string? repository = stored.Target.StartsWith(GitPrefix, StringComparison.Ordinal)
            ? stored.Target[GitPrefix.Length..]
            : DetailText(finding.Details, "repository");
        return new Alert(stored.Target, finding, repository, DetailText(finding.Details, "newSince"), DetailTexts(finding.Details, "releaseChanges"));
    }

    // Details read back from the store are JSON elements; fresh from a scan they are .NET values.
    private static string? DetailText(IReadOnlyDictionary<string, object?> details, string name) =>
        details.GetValueOrDefault(name) switch
        {
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            _ => null,
        };

    private static IReadOnlyList<string> DetailTexts(IReadOnlyDictionary<string, object?> details, string name) =>
        details.GetValueOrDefault(name) switch
        {
            IEnumerable<string> texts => [.. texts],
            JsonElement { ValueKind: JsonValueKind.Array } element =>
                [.. element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            _ => [],
        };
}
