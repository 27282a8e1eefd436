using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeakGuard.Core.Configuration;

/// <summary>
/// Reads a scan configuration file. It walks the YAML node tree rather than deserializing into
/// classes because every message must name the line and key at fault, and an unknown key is an
/// error: a misspelt <c>exclude</c> would otherwise scan what the user meant to leave out, and a
/// misspelt <c>allowlist</c> report what they meant to allow. All problems are collected, so one
/// run shows them all. Rule ids and tags are checked when the rules are loaded
/// (<see cref="RuleTuning"/>): only then is it known which exist.
/// </summary>
internal sealed class ScanConfigurationParser
{
    private static readonly string[] TopLevelKeys = ["include", "exclude", "rules", "allowlist"];
    private static readonly string[] RulesKeys = ["extra", "disable", "override"];
    private static readonly string[] OverrideKeys = ["id", "severity", "confidence", "allowlist"];
    private static readonly string[] AllowlistKeys = ["paths", "values", "stopwords"];

    private readonly string _source;
    private readonly string _folder;
    private readonly List<string> _problems = [];

    private ScanConfigurationParser(string source, string folder)
    {
        _source = source;
        _folder = folder;
    }

    public static ScanConfiguration Parse(string yaml, string source, string folder)
    {
        var parser = new ScanConfigurationParser(source, folder);
        var configuration = parser.ParseDocument(yaml);
        if (parser._problems.Count > 0)
        {
            throw new UsageException(string.Join('\n', parser._problems));
        }
        return configuration;
    }

    private ScanConfiguration ParseDocument(string yaml)
    {
        var empty = new ScanConfiguration { Source = _source };
        YamlStream stream;
        try
        {
            stream = YamlLoader.Load(yaml);
        }
        catch (YamlException e)
        {
            Problem(e.Start.Line, "", $"not valid YAML: {e.InnerException?.Message ?? e.Message}");
            return empty;
        }
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return empty;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Problem(stream.Documents[0].RootNode.Start.Line, "", $"expected a mapping with {Known(TopLevelKeys)}");
            return empty;
        }
        var configuration = empty;
        foreach (var (keyNode, value) in root.Children)
        {
            string key = KeyOf(keyNode);
            switch (key)
            {
                case "include":
                    configuration = configuration with { Include = Globs(value, key) };
                    break;
                case "exclude":
                    configuration = configuration with { Exclude = Globs(value, key) };
                    break;
                case "rules":
                    configuration = ParseRules(value, configuration);
                    break;
                case "allowlist":
                    configuration = configuration with { Allowlist = ParseAllowlist(value, key) };
                    break;
                default:
                    UnknownKey(keyNode, key, "", TopLevelKeys);
                    break;
            }
        }
        return configuration;
    }

    private ScanConfiguration ParseRules(YamlNode node, ScanConfiguration configuration)
    {
        if (Mapping(node, "rules") is not { } map)
        {
            return configuration;
        }
        foreach (var (keyNode, value) in map.Children)
        {
            string key = KeyOf(keyNode);
            string where = $"rules.{key}";
            switch (key)
            {
                case "extra":
                    configuration = configuration with { ExtraRules = [.. Strings(value, where).Select(RulePath)] };
                    break;
                case "disable":
                    configuration = configuration with { Disable = [.. Strings(value, where).Select(Selector)] };
                    break;
                case "override":
                    var overrides = new List<RuleOverride>();
                    foreach (var (item, index) in Items(value, where))
                    {
                        if (ParseOverride(item, $"{where}[{index}]") is { } parsed)
                        {
                            overrides.Add(parsed);
                        }
                    }
                    configuration = configuration with { Overrides = overrides };
                    break;
                default:
                    UnknownKey(keyNode, key, "rules: ", RulesKeys);
                    break;
            }
        }
        return configuration;
    }

    private RuleOverride? ParseOverride(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
        {
            Problem(node.Start.Line, where, "expected a mapping such as 'id: generic.password-quoted' and 'severity: high'");
            return null;
        }
        RuleSelector? selector = null;
        Severity? severity = null;
        Confidence? confidence = null;
        var allowlist = Allowlist.None;
        bool valid = true;
        foreach (var (keyNode, value) in map.Children)
        {
            string key = KeyOf(keyNode);
            string at = $"{where}.{key}";
            switch (key)
            {
                case "id":
                    if (Scalar(value, at) is { } id)
                    {
                        if (string.IsNullOrWhiteSpace(id))
                        {
                            Problem(value.Start.Line, at, "names no rule id or tag");
                        }
                        else
                        {
                            selector = new RuleSelector(id, $"{_source}:{value.Start.Line}: {at}");
                        }
                    }
                    break;
                case "severity":
                    if (Scalar(value, at) is { } severityText)
                    {
                        if (SeverityNames.TryParse(severityText, out var parsed))
                        {
                            severity = parsed;
                        }
                        else
                        {
                            Problem(value.Start.Line, at, $"'{severityText}' is not one of {string.Join(", ", SeverityNames.All)}");
                            valid = false;
                        }
                    }
                    break;
                case "confidence":
                    if (Scalar(value, at) is { } confidenceText)
                    {
                        if (SeverityNames.TryParseConfidence(confidenceText, out var parsed))
                        {
                            confidence = parsed;
                        }
                        else
                        {
                            Problem(value.Start.Line, at, $"'{confidenceText}' is not one of {string.Join(", ", SeverityNames.AllConfidences)}");
                            valid = false;
                        }
                    }
                    break;
                case "allowlist":
                    allowlist = ParseAllowlist(value, at);
                    break;
                default:
                    UnknownKey(keyNode, key, $"{where}: ", OverrideKeys);
                    break;
            }
        }
        if (selector is null)
        {
            if (!map.Children.Any(c => KeyOf(c.Key) == "id"))
            {
                Problem(map.Start.Line, where, "names no rule: give 'id' (a rule id or tag)");
            }
            return null;
        }
        if (valid && severity is null && confidence is null && allowlist.IsEmpty)
        {
            Problem(map.Start.Line, where, "changes nothing: give severity, confidence or allowlist");
        }
        return new RuleOverride(selector, severity, confidence, allowlist);
    }

    private Allowlist ParseAllowlist(YamlNode node, string where)
    {
        if (Mapping(node, where) is not { } map)
        {
            return Allowlist.None;
        }
        var allowlist = Allowlist.None;
        foreach (var (keyNode, value) in map.Children)
        {
            string key = KeyOf(keyNode);
            string at = $"{where}.{key}";
            switch (key)
            {
                case "paths":
                    allowlist = allowlist with { Paths = Globs(value, at) };
                    break;
                case "values":
                    allowlist = allowlist with { Values = [.. Items(value, at).Select(item => ValuePattern(item.Item, $"{at}[{item.Index}]")).OfType<Regex>()] };
                    break;
                case "stopwords":
                    allowlist = allowlist with { Stopwords = [.. Strings(value, at).Select(Stopword)] };
                    break;
                default:
                    UnknownKey(keyNode, key, $"{where}: ", AllowlistKeys);
                    break;
            }
        }
        return allowlist;
    }

    private List<string> Globs(YamlNode node, string where)
    {
        var globs = new List<string>();
        foreach (var (text, line, at) in Strings(node, where))
        {
            if (PathGlobs.Problem(text) is { } problem)
            {
                Problem(line, at, problem);
            }
            else
            {
                globs.Add(text);
            }
        }
        return globs;
    }

    private Regex? ValuePattern(YamlNode node, string where)
    {
        if (Scalar(node, where) is not { } pattern)
        {
            return null;
        }
        try
        {
            return Allowlist.ValuePattern(pattern);
        }
        catch (ArgumentException e)
        {
            Problem(node.Start.Line, where, $"'{pattern}' is not a valid regular expression: {e.Message}");
            return null;
        }
    }

    private string Stopword((string Text, int Line, string Where) item)
    {
        if (item.Text.Length == 0)
        {
            Problem(item.Line, item.Where, "an empty stopword would allow every secret");
        }
        return item.Text;
    }

    private string RulePath((string Text, int Line, string Where) item)
    {
        string path = Path.GetFullPath(item.Text, _folder);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Problem(item.Line, item.Where, $"no such rule file or folder '{path}'");
        }
        return path;
    }

    private RuleSelector Selector((string Text, int Line, string Where) item)
    {
        if (string.IsNullOrWhiteSpace(item.Text))
        {
            Problem(item.Line, item.Where, "names no rule id or tag");
        }
        return new RuleSelector(item.Text, $"{_source}:{item.Line}: {item.Where}");
    }

    /// <summary>The scalar items of a list, each with its line and key (<c>include[2]</c>).</summary>
    private List<(string Text, int Line, string Where)> Strings(YamlNode node, string where)
    {
        var strings = new List<(string, int, string)>();
        foreach (var (item, index) in Items(node, where))
        {
            string at = $"{where}[{index}]";
            if (Scalar(item, at) is { } text)
            {
                strings.Add((text, (int)item.Start.Line, at));
            }
        }
        return strings;
    }

    private IEnumerable<(YamlNode Item, int Index)> Items(YamlNode node, string where)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children.Select((item, index) => (item, index));
        }
        if (!IsNull(node))
        {
            Problem(node.Start.Line, where, "expected a list ('[a, b]' or '- …' entries)");
        }
        return [];
    }

    private YamlMappingNode? Mapping(YamlNode node, string where)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }
        if (!IsNull(node))
        {
            Problem(node.Start.Line, where, "expected a mapping ('key: value' entries)");
        }
        return null;
    }

    private string? Scalar(YamlNode node, string where)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }
        Problem(node.Start.Line, where, "expected a single value");
        return null;
    }

    /// <summary>An empty value (<c>rules:</c> with nothing after it) means none.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    private void UnknownKey(YamlNode keyNode, string key, string where, IEnumerable<string> known) =>
        _problems.Add($"{_source}:{keyNode.Start.Line}: {where}unknown key '{key}' (known: {string.Join(", ", known)})");

    private void Problem(long line, string where, string message) =>
        _problems.Add(where.Length == 0 ? $"{_source}:{line}: {message}" : $"{_source}:{line}: {where}: {message}");

    private static string Known(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"'{k}'"));

    private static string KeyOf(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : node.ToString();
}
