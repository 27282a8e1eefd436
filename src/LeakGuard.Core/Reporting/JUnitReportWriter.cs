using System.Globalization;
using System.Text;
using System.Xml;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>
/// JUnit XML, the report CI systems show as a test result: one test suite per rule, one test case
/// per finding (named by its location), failed when the finding is at or above --fail-on, so the
/// failures are exactly what fails the gate. A scan without findings is one passing case, so the
/// CI system still shows that the scan ran. Text from the scanned input that XML cannot hold (a
/// control character in a file name) is written as <c>\uXXXX</c>.
/// </summary>
public sealed class JUnitReportWriter(Severity failOn) : IReportWriter
{
    public void Write(ScanReport report, TextWriter output)
    {
        var findings = report.Result.Findings;
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CheckCharacters = true };
        using var xml = XmlWriter.Create(output, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", report.Tool);
        xml.WriteAttributeString("tests", Count(Math.Max(findings.Count, 1)));
        xml.WriteAttributeString("failures", Count(findings.Count(Fails)));
        xml.WriteAttributeString("errors", "0");
        if (findings.Count == 0)
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", report.Tool);
            xml.WriteAttributeString("tests", "1");
            xml.WriteAttributeString("failures", "0");
            xml.WriteAttributeString("errors", "0");
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", report.Tool);
            xml.WriteAttributeString("name", "no findings");
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        foreach (var rule in findings.GroupBy(f => f.RuleId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Text(rule.Key));
            xml.WriteAttributeString("tests", Count(rule.Count()));
            xml.WriteAttributeString("failures", Count(rule.Count(Fails)));
            xml.WriteAttributeString("errors", "0");
            foreach (var finding in rule)
            {
                WriteCase(xml, report.Tool, finding);
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private bool Fails(Finding finding) => finding.Severity >= failOn;

    private void WriteCase(XmlWriter xml, string tool, Finding finding)
    {
        var l = finding.Location;
        string where = l.Line is { } line ? $"{l.Path}:{line.ToString(CultureInfo.InvariantCulture)}" : l.Path;
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("classname", Text($"{tool}.{finding.RuleId}"));
        xml.WriteAttributeString("name", Text(where));
        xml.WriteAttributeString("file", Text(l.Path));
        if (l.Line is { } fileLine)
        {
            xml.WriteAttributeString("line", fileLine.ToString(CultureInfo.InvariantCulture));
        }
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{finding.Severity.Name()} {finding.Kind.Name()} ({finding.Confidence.Name()} confidence): {finding.Title}\n")
            .Append(CultureInfo.InvariantCulture, $"at {where}\n");
        if (finding.Secret is { } secret)
        {
            body.Append(CultureInfo.InvariantCulture, $"secret {secret}\n");
        }
        if (l.Commit is { } commit)
        {
            body.Append(CultureInfo.InvariantCulture, $"commit {commit}\n");
        }
        body.Append(CultureInfo.InvariantCulture, $"fingerprint {finding.Fingerprint}\n");
        xml.WriteStartElement(Fails(finding) ? "failure" : "system-out");
        if (Fails(finding))
        {
            xml.WriteAttributeString("message", Text($"{finding.Title} ({finding.Severity.Name()})"));
            xml.WriteAttributeString("type", finding.Severity.Name());
        }
        xml.WriteString(Text(body.ToString()));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text with every character XML 1.0 cannot hold spelled as \uXXXX.</summary>
    internal static string Text(string value)
    {
        if (value.All(XmlConvert.IsXmlChar))
        {
            return value;
        }
        var text = new StringBuilder(value.Length + 16);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                text.Append(c);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }
        return text.ToString();
    }
}
