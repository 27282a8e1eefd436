using System.Text.Json;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>
/// The one JSON shape of a finding, as the DESIGN.md contract spells it. Reports (JSON, JSONL),
/// alerts and the service API all write findings through here; the latter two add their own
/// fields beside these, never instead of them.
/// </summary>
public static class FindingJson
{
    /// <summary>Writes the finding as one object.</summary>
    public static void Write(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        WriteFields(json, finding);
        json.WriteEndObject();
    }

    /// <summary>Writes the finding's fields into the object <paramref name="json"/> has open.</summary>
    /// <param name="moreLocation">Writes extra fields into <c>location</c> (an alert's repository).</param>
    public static void WriteFields(Utf8JsonWriter json, Finding finding, Action<Utf8JsonWriter>? moreLocation = null)
    {
        json.WriteString("ruleId", finding.RuleId);
        json.WriteString("kind", finding.Kind.Name());
        json.WriteString("severity", finding.Severity.Name());
        json.WriteString("confidence", finding.Confidence.Name());
        json.WriteString("title", finding.Title);
        json.WriteStartObject("location");
        var l = finding.Location;
        json.WriteString("path", l.Path);
        WriteNumberOrNull(json, "line", l.Line);
        WriteNumberOrNull(json, "column", l.Column);
        json.WriteString("commit", l.Commit);
        json.WriteString("author", l.Author);
        if (l.Date is { } date)
        {
            json.WriteString("date", date.ToString("O"));
        }
        else
        {
            json.WriteNull("date");
        }
        json.WriteString("package", l.Package);
        json.WriteString("version", l.Version);
        moreLocation?.Invoke(json);
        json.WriteEndObject();
        json.WriteString("secret", finding.Secret);
        json.WriteString("fingerprint", finding.Fingerprint);
        json.WritePropertyName("details");
        DetailsJson.Write(json, finding.Details);
        if (finding.Context is { } context)
        {
            json.WriteStartObject("context");
            WriteStrings(json, "lines", context.Lines);
            json.WriteNumber("secretLine", context.SecretLine);
            json.WriteEndObject();
        }
        if (finding.Validation is { } validation)
        {
            json.WritePropertyName("validation");
            WriteValidation(json, validation);
        }
    }

    /// <summary>A finding's <c>validation</c> object (also a SARIF result property).</summary>
    public static void WriteValidation(Utf8JsonWriter json, ValidationResult validation)
    {
        json.WriteStartObject();
        json.WriteString("status", validation.Status.Name());
        json.WriteString("checkedAt", validation.CheckedAt.ToString("O"));
        json.WriteStartObject("identity");
        foreach (var (name, value) in validation.Identity)
        {
            json.WriteString(name, value);
        }
        json.WriteEndObject();
        WriteStrings(json, "scopes", validation.Scopes);
        json.WriteString("message", validation.Message);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
