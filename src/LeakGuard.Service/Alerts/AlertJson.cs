using System.Text.Json;
using LeakGuard.Core.Findings;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// The alert as JSON, shared by the webhook body and the JSONL file so both say the same thing.
/// Written by hand so the field order and the absent-means-null rule are fixed: receivers verify
/// the HMAC over these exact bytes.
/// </summary>
public static class AlertJson
{
    public const string EventName = "finding.new";

    public static byte[] Serialize(Alert alert)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", EventName);
            json.WriteString("target", alert.Target);
            json.WriteStartObject("finding");
            json.WriteString("ruleId", alert.RuleId);
            json.WriteString("kind", alert.Kind.Name());
            json.WriteString("severity", alert.Severity.Name());
            json.WriteString("title", alert.Title);
            json.WriteStartObject("location");
            json.WriteString("path", alert.Path);
            json.WriteString("package", alert.Package);
            json.WriteString("version", alert.Version);
            json.WriteString("repository", alert.Repository);
            json.WriteString("commit", alert.Commit);
            json.WriteEndObject();
            json.WriteString("secret", alert.Secret);
            json.WriteString("fingerprint", alert.Fingerprint);
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
