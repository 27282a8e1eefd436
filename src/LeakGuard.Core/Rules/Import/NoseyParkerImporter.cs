using LeakGuard.Core.Findings;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LeakGuard.Core.Rules.Import;

/// <summary>
/// Reads a Nosey Parker or Kingfisher rule file: <c>rules:</c> with name, id, pattern, examples,
/// negative_examples, confidence, min_entropy, references. Their other keys (validation requests,
/// categories, dependent rules) are not read. Ids are kept (they are already namespaced: <c>np.aws.1</c>,
/// <c>kingfisher.aws.1</c>).
/// </summary>
internal static class NoseyParkerImporter
{
    /// <summary>Keys only LeakGuard's own format has: a file with any of them is LeakGuard's.</summary>
    private static readonly string[] LeakGuardKeys = ["kind", "severity", "keywords", "context", "path", "entropy"];

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Whether a YAML text is a peer's rule file: every rule has a pattern and none uses a
    /// LeakGuard-only key.</summary>
    public static bool Recognizes(string text)
    {
        Dictionary<string, object?>? doc;
        try
        {
            doc = Yaml.Deserialize<Dictionary<string, object?>>(text);
        }
        catch (YamlException)
        {
            return false;
        }
        if (doc?.GetValueOrDefault("rules") is not List<object?> { Count: > 0 } rules)
        {
            return false;
        }
        return rules.All(r => r is Dictionary<object, object?> rule
            && rule.ContainsKey("pattern")
            && !LeakGuardKeys.Any(rule.ContainsKey));
    }

    public static IReadOnlyList<ImportedRule> Read(string text, string source, Action<string> warn)
    {
        RuleFile? file;
        try
        {
            file = Yaml.Deserialize<RuleFile>(text);
        }
        catch (YamlException e)
        {
            throw new RuleLoadException($"{source}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        var rules = new List<ImportedRule>();
        foreach (var doc in file?.Rules ?? [])
        {
            string id = doc.Id ?? $"np.rule-{rules.Count + 1}";
            var confidence = Confidence.High;
            if (doc.Confidence is not null && !SeverityNames.TryParseConfidence(doc.Confidence, out confidence))
            {
                warn($"{source}: rule '{id}': confidence '{doc.Confidence}' is not low, medium or high; read as high");
                confidence = Confidence.High;
            }
            rules.Add(new ImportedRule
            {
                Id = id,
                Name = doc.Name ?? id,
                Pattern = doc.Pattern,
                Entropy = doc.MinEntropy,
                Confidence = confidence,
                Examples = doc.Examples ?? [],
                NegativeExamples = doc.NegativeExamples ?? [],
                References = doc.References ?? [],
            });
        }
        // Nosey Parker and Kingfisher add their files to their built-in rules.
        return rules;
    }

    private sealed class RuleFile
    {
        public List<RuleDocument>? Rules { get; set; }
    }

    private sealed class RuleDocument
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Pattern { get; set; }
        public string? Confidence { get; set; }
        public double? MinEntropy { get; set; }
        public List<string>? Examples { get; set; }
        public List<string>? NegativeExamples { get; set; }
        public List<string>? References { get; set; }
    }
}
