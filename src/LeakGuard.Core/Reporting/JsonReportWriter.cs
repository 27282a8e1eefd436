using System.Text.Encodings.Web;
using System.Text.Json;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>The JSON contract of DESIGN.md: one document with tool, version, engine, stats and
/// findings (warnings and notes follow, for people; checks rely only on the contract's fields).</summary>
public sealed class JsonReportWriter : IReportWriter
{
    internal static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Write(ScanReport report, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("tool", report.Tool);
            json.WriteString("version", report.Version);
            json.WriteString("engine", report.Result.Engine);
            json.WriteStartObject("stats");
            json.WriteNumber("blobs", report.Result.Stats.Blobs);
            json.WriteNumber("bytes", report.Result.Stats.Bytes);
            json.WriteNumber("seconds", Math.Round(report.Result.Stats.Seconds, 3));
            json.WriteEndObject();
            json.WriteStartArray("findings");
            foreach (var finding in report.Result.Findings)
            {
                WriteFinding(json, finding);
            }
            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in report.Result.Warnings)
            {
                json.WriteStartObject();
                json.WriteString("path", warning.Path);
                json.WriteString("message", warning.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (string note in report.Notes)
            {
                json.WriteStringValue(note);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        output.WriteLine();
    }

    /// <summary>One finding as the contract spells it; JSONL writes the same object per line.</summary>
    public static void WriteFinding(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        json.WriteString("kind", finding.Kind.Name());
        json.WriteString("severity", finding.Severity.Name());
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
        json.WriteEndObject();
        json.WriteString("secret", finding.Secret);
        json.WriteString("fingerprint", finding.Fingerprint);
        json.WritePropertyName("details");
        JsonSerializer.Serialize(json, finding.Details);
        json.WriteEndObject();
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
