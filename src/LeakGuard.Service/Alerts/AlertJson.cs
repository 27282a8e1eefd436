using System.Text.Json;
using LeakGuard.Core.Reporting;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// The alert as JSON, shared by the webhook body and the JSONL file so both say the same thing:
/// <c>{"event" (finding.new, finding.live-again or finding.reopened), "target", "finding": {…the scan report's finding, with location.repository…,
/// "newSince", "releaseChanges"}}</c>. Field order is fixed: receivers verify the HMAC over these
/// exact bytes.
/// </summary>
public static class AlertJson
{
    public static byte[] Serialize(Alert alert)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", alert.Event);
            json.WriteString("target", alert.Target);
            json.WriteStartObject("finding");
            FindingJson.WriteFields(json, alert.Finding, location => location.WriteString("repository", alert.Repository));
            json.WriteString("newSince", alert.NewSince);
            json.WriteStartArray("releaseChanges");
            foreach (string change in alert.ReleaseChanges ?? [])
            {
                json.WriteStringValue(change);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
