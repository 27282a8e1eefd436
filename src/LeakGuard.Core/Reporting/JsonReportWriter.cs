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
        using var pieces = new JsonTextOutput(output, Options);
        var json = pieces.Json;
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
            FindingJson.Write(json, finding);
            pieces.FlushIfFull();
        }
        json.WriteEndArray();
        json.WriteStartArray("warnings");
        foreach (var warning in report.Result.Warnings)
        {
            json.WriteStartObject();
            json.WriteString("path", warning.Path);
            json.WriteString("message", warning.Message);
            json.WriteEndObject();
            pieces.FlushIfFull();
        }
        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (string note in report.Notes)
        {
            json.WriteStringValue(note);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        pieces.Flush();
        output.WriteLine();
    }
}
