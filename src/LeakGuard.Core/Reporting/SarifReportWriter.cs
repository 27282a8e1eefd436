using System.Text;
using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Reporting;

/// <summary>SARIF 2.1.0 as GitHub code scanning accepts it: one run, a rule table holding only the
/// rules that produced findings (a run over every built-in rule would otherwise list hundreds of
/// descriptors nobody will see), and results that point into that table by index.</summary>
public sealed class SarifReportWriter : IReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The key under which partialFingerprints carries the finding's fingerprint; the
    /// version lets a later fingerprint scheme live beside this one.</summary>
    public const string FingerprintKey = "leakguard/v1";

    public void Write(ScanReport report, TextWriter output)
    {
        var rules = SarifRuleTable.For(report);
        using var pieces = new JsonTextOutput(output, JsonReportWriter.Options);
        var json = pieces.Json;
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();
        WriteTool(json, report, rules);
        WriteInvocation(json, report);
        json.WriteStartArray("results");
        foreach (var finding in report.Result.Findings)
        {
            WriteResult(json, finding, rules.IndexOf(finding.RuleId));
            pieces.FlushIfFull();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        pieces.Flush();
        output.WriteLine();
    }

    private static void WriteTool(Utf8JsonWriter json, ScanReport report, SarifRuleTable rules)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "LeakGuard");
        json.WriteString("version", report.Version);
        json.WriteString("semanticVersion", report.Version);
        json.WriteStartArray("rules");
        foreach (var rule in rules.Rules)
        {
            WriteRule(json, rule);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, Rule rule)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteString("name", IdentifierName(rule.Id));
        json.WriteStartObject("shortDescription");
        json.WriteString("text", rule.Name);
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", FullDescription(rule));
        json.WriteEndObject();
        if (rule.References.Select(HelpUri).FirstOrDefault(uri => uri is not null) is { } helpUri)
        {
            json.WriteString("helpUri", helpUri);
        }
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(rule.Severity));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue(rule.Kind.Name());
        json.WriteEndArray();
        json.WriteString("security-severity", SecuritySeverity(rule.Severity));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter json, ScanReport report)
    {
        // Warnings are coverage gaps (unreadable files, truncated archives): worth carrying, but
        // as notifications about the run, not as results that would open alerts.
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", true);
        json.WriteStartArray("toolExecutionNotifications");
        foreach (var warning in report.Result.Warnings)
        {
            json.WriteStartObject();
            json.WriteString("level", "warning");
            json.WriteStartObject("message");
            json.WriteString("text", $"{warning.Path}: {warning.Message}");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteResult(Utf8JsonWriter json, Finding finding, int ruleIndex)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(finding.Severity));
        // SARIF's rank (0–100) orders results by how likely they are real.
        json.WriteNumber("rank", Rank(finding.Confidence));
        json.WriteStartObject("message");
        json.WriteString("text", finding.Secret is { } secret ? $"{finding.Title}: {secret}" : finding.Title);
        json.WriteEndObject();
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", SarifArtifactUri.FromPath(finding.Location.Path));
        json.WriteEndObject();
        if (finding.Location.Line is { } line)
        {
            // LeakGuard counts columns in bytes; SARIF's default unit is UTF-16 code units. They
            // agree on ASCII lines, which is where secrets almost always sit.
            json.WriteStartObject("region");
            json.WriteNumber("startLine", line);
            if (finding.Location.Column is { } column)
            {
                json.WriteNumber("startColumn", column);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("partialFingerprints");
        json.WriteString(FingerprintKey, finding.Fingerprint);
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("confidence", finding.Confidence.Name());
        if (finding.Validation is { } validation)
        {
            json.WritePropertyName("validation");
            FindingJson.WriteValidation(json, validation);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static double Rank(Confidence confidence) => confidence switch
    {
        Confidence.High => 90.0,
        Confidence.Medium => 60.0,
        _ => 30.0,
    };

    private static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>GitHub buckets these as critical (≥ 9.0), high (7.0–8.9), medium (4.0–6.9) and
    /// low (≤ 3.9); info has no bucket of its own, so it sorts below low within low.</summary>
    private static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "3.0",
        _ => "1.0",
    };

    private static string FullDescription(Rule rule) => rule.Kind switch
    {
        FindingKind.Secret => $"{rule.Name}. A credential was found in content that is or will be published: revoke and rotate it, then remove it from the content and its history.",
        FindingKind.Exposure => $"{rule.Name}. Content was found that should not be published: remove it from the release or commit.",
        _ => $"{rule.Name}. Code matching a protected codebase was found in published content.",
    };

    private static string? HelpUri(string reference) =>
        Uri.TryCreate(reference, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;

    /// <summary>SARIF's name is an identifier for people ("GithubClassicPat"); the rule's own
    /// name is a sentence and goes into shortDescription instead.</summary>
    private static string IdentifierName(string ruleId)
    {
        var builder = new StringBuilder(ruleId.Length);
        bool upper = true;
        foreach (char c in ruleId)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                upper = true;
                continue;
            }
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return builder.ToString();
    }
}
