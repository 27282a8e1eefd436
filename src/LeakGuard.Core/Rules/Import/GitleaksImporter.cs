using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace LeakGuard.Core.Rules.Import;

/// <summary>
/// Reads a gitleaks TOML configuration: <c>[[rules]]</c> (id, description, regex, secretGroup,
/// entropy, keywords, path, tags, <c>[rules.allowlist]</c> / <c>[[rules.allowlists]]</c>), the
/// global <c>[allowlist]</c> / <c>[[allowlists]]</c> (applied to every rule of the file). Rule ids get the family <c>gitleaks.</c>.
/// </summary>
internal static class GitleaksImporter
{
    public const string Family = "gitleaks";

    public static IReadOnlyList<ImportedRule> Read(string text, string source, Action<string> warn)
    {
        TomlTable document;
        try
        {
            document = TomlSerializer.Deserialize<TomlTable>(text)!;
        }
        catch (TomlException e)
        {
            throw new RuleLoadException($"{source}: not a valid gitleaks TOML file: {e.Message}");
        }
        // Imported rules are added to the built-in ones like any --rules file (only
        // --no-builtin-rules drops those), so [extend] useDefault changes nothing here.
        if (document.TryGetValue("extend", out var extendValue) && extendValue is TomlTable extend &&
            (extend.ContainsKey("path") || extend.ContainsKey("url")))
        {
            warn($"{source}: [extend] path/url is not followed");
        }
        var global = Allowlists(document, "allowlist", "allowlists", $"{source}: global allowlist", warn);
        var rules = new List<ImportedRule>();
        if (document.TryGetValue("rules", out var rulesValue) && rulesValue is TomlTableArray array)
        {
            foreach (var table in array)
            {
                string id = Text(table, "id") ?? $"rule-{rules.Count + 1}";
                string where = $"{source}: rule '{id}'";
                rules.Add(new ImportedRule
                {
                    Id = $"{Family}.{id}",
                    Name = Text(table, "description") is { Length: > 0 } d ? d : id,
                    Pattern = Text(table, "regex"),
                    SecretGroup = table.TryGetValue("secretGroup", out var g) ? System.Convert.ToInt32(g, CultureInfo.InvariantCulture) : 0,
                    Entropy = table.TryGetValue("entropy", out var e) ? System.Convert.ToDouble(e, CultureInfo.InvariantCulture) : null,
                    Keywords = Strings(table, "keywords"),
                    Path = Text(table, "path"),
                    Tags = Strings(table, "tags"),
                    Allowlists = [.. Allowlists(table, "allowlist", "allowlists", where, warn), .. global],
                });
            }
        }
        return rules;
    }

    private static List<ImportedAllowlist> Allowlists(TomlTable table, string single, string many, string where, Action<string> warn)
    {
        var result = new List<ImportedAllowlist>();
        if (table.TryGetValue(single, out var one) && one is TomlTable t)
        {
            result.Add(Allowlist(t, where, warn));
        }
        if (table.TryGetValue(many, out var list) && list is TomlTableArray tables)
        {
            result.AddRange(tables.Select(x => Allowlist(x, where, warn)));
        }
        return result;
    }

    private static ImportedAllowlist Allowlist(TomlTable table, string where, Action<string> warn)
    {
        if (Strings(table, "commits").Count > 0)
        {
            warn($"{where}: allowlist 'commits' are not applied (LeakGuard allowlists by value and path)");
        }
        string condition = (Text(table, "condition") ?? "OR").ToUpperInvariant();
        string target = (Text(table, "regexTarget") ?? "secret").ToLowerInvariant();
        try
        {
            return new ImportedAllowlist
            {
                RequireAll = condition == "AND",
                Regexes = [.. Strings(table, "regexes").Select(ImportedAllowlist.Compile)],
                Target = target switch
                {
                    "match" => ImportedAllowlist.RegexTarget.Match,
                    "line" => ImportedAllowlist.RegexTarget.Line,
                    _ => ImportedAllowlist.RegexTarget.Secret,
                },
                Paths = [.. Strings(table, "paths").Select(ImportedAllowlist.Compile)],
                Stopwords = Strings(table, "stopwords"),
            };
        }
        catch (ArgumentException e)
        {
            throw new RuleLoadException($"{where}: bad allowlist regex: {e.Message}");
        }
    }

    private static string? Text(TomlTable table, string key) =>
        table.TryGetValue(key, out var value) && value is string s ? s : null;

    private static List<string> Strings(TomlTable table, string key) =>
        table.TryGetValue(key, out var value) && value is TomlArray array ? [.. array.OfType<string>()] : [];
}
