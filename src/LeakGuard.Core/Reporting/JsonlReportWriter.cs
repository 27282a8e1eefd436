using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Core.Reporting;

/// <summary>One compact finding object per line, with the contract's field names, so a stream of
/// findings can be piped into line-oriented tools. Warnings are not findings and are left out.</summary>
public sealed class JsonlReportWriter : IReportWriter
{
    private static readonly JsonWriterOptions CompactOptions = new()
    {
        Indented = false,
        Encoder = JsonReportWriter.Options.Encoder,
    };

    public void Write(ScanReport report, TextWriter output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, CompactOptions);
        foreach (var finding in report.Result.Findings)
        {
            // A writer accepts one top-level value; resetting it starts the next line's object.
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            FindingJson.Write(json, finding);
            json.Flush();
            output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }
}
