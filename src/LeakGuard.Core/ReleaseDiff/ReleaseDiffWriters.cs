using System.Text;
using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>How a change of protected code reads: "starts containing 3 files of acme/core: a.js, b.js, c.js".</summary>
public static class ProtectedCodeText
{
    private const int FilesShown = 10;

    public static string Describe(ProtectedCodeChange change)
    {
        string files = string.Join(", ", change.NewFiles.Take(FilesShown))
            + (change.NewFiles.Count > FilesShown ? $" and {change.NewFiles.Count - FilesShown} more" : "");
        return change.Starts
            ? $"starts containing protected code: {Count(change.Files)} of {change.Codebase} ({files})"
            : $"holds {Count(change.NewFiles.Count)} more of {change.Codebase} ({files}; {change.Files} in all)";
    }

    private static string Count(int files) => $"{files:N0} file{(files == 1 ? "" : "s")}";
}

/// <summary>The <c>leakguard diff</c> report for a person: what NEW adds, drops and grows, and
/// its new findings; text from the releases is made printable first.</summary>
public static class ReleaseDiffTextWriter
{
    public static void Write(ReleaseComparison diff, TextWriter output)
    {
        output.WriteLine($"{TerminalText.Printable(diff.Old)} -> {TerminalText.Printable(diff.New)}");
        Section(output, "added", diff.Added, c => $"+ {TerminalText.Printable(c.Path)}  {FileChange.Describe(c.NewSize!.Value, c.EmbeddedFiles)}");
        Section(output, "removed", diff.Removed, c => $"- {TerminalText.Printable(c.Path)}  {FileChange.Describe(c.OldSize!.Value, c.EmbeddedFiles)}");
        Section(output, "grown", diff.Grown,
            c => $"~ {TerminalText.Printable(c.Path)}  {ByteCount.Format(c.OldSize!.Value)} -> {FileChange.Describe(c.NewSize!.Value, c.EmbeddedFiles)}");
        Section(output, "protected code", diff.ProtectedCode, c => TerminalText.Printable(ProtectedCodeText.Describe(c)));
        Section(output, "new findings", diff.NewFindings, f =>
        {
            var l = f.Location;
            string at = l.Line is { } line ? $":{line}:{l.Column}" : "";
            return $"{f.Severity.Name()} {TerminalText.Printable(f.RuleId)} {TerminalText.Printable(l.Path)}{at}"
                + (f.Secret is null ? "" : $" {TerminalText.Printable(f.Secret)}");
        });
        output.WriteLine($"{diff.Added.Count} added, {diff.Removed.Count} removed, {diff.Grown.Count} grown, "
            + $"{diff.NewFindings.Count} new finding{(diff.NewFindings.Count == 1 ? "" : "s")}");
    }

    private static void Section<T>(TextWriter output, string title, IReadOnlyList<T> entries, Func<T, string> line)
    {
        if (entries.Count == 0)
        {
            return;
        }
        output.WriteLine($"{title}:");
        foreach (var entry in entries)
        {
            output.WriteLine($"  {line(entry)}");
        }
    }
}

/// <summary>
/// The <c>leakguard diff</c> report as JSON: <c>{ tool, version, old, new, files: { added,
/// removed, grown: [ { path, oldSize, newSize, embeddedFiles } ] }, protectedCode: [ { codebase,
/// files, previousFiles, newFiles: [ path ] } ], findings: [ …as in the scan report ] }</c>.
/// </summary>
public static class ReleaseDiffJsonWriter
{
    public static void Write(ReleaseComparison diff, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonReportWriter.Options))
        {
            json.WriteStartObject();
            json.WriteString("tool", "leakguard");
            json.WriteString("version", ScanReport.ToolVersion);
            json.WriteString("old", diff.Old);
            json.WriteString("new", diff.New);
            json.WriteStartObject("files");
            Changes(json, "added", diff.Added);
            Changes(json, "removed", diff.Removed);
            Changes(json, "grown", diff.Grown);
            json.WriteEndObject();
            json.WriteStartArray("protectedCode");
            foreach (var change in diff.ProtectedCode)
            {
                json.WriteStartObject();
                json.WriteString("codebase", change.Codebase);
                json.WriteNumber("files", change.Files);
                json.WriteNumber("previousFiles", change.PreviousFiles);
                json.WriteStartArray("newFiles");
                foreach (string file in change.NewFiles)
                {
                    json.WriteStringValue(file);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("findings");
            foreach (var finding in diff.NewFindings)
            {
                FindingJson.Write(json, finding);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Changes(Utf8JsonWriter json, string name, IReadOnlyList<FileChange> changes)
    {
        json.WriteStartArray(name);
        foreach (var change in changes)
        {
            json.WriteStartObject();
            json.WriteString("path", change.Path);
            WriteSize(json, "oldSize", change.OldSize);
            WriteSize(json, "newSize", change.NewSize);
            json.WriteNumber("embeddedFiles", change.EmbeddedFiles);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteSize(Utf8JsonWriter json, string name, long? size)
    {
        if (size is { } value)
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
