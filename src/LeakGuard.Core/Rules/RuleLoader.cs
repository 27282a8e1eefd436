using System.Reflection;
using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules.Import;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LeakGuard.Core.Rules;

/// <summary>Thrown for a rule file that cannot be used; the message names file and rule.</summary>
public sealed class RuleLoadException(string message) : Exception(message);

/// <summary>Reads rule files: the built-in ones embedded in this assembly, and any the user adds.</summary>
public static partial class RuleLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The rules shipped in rules/*.yaml.</summary>
    /// <param name="cacheDirectory">Where the rules read from YAML are kept between runs
    /// (<see cref="BuiltInRuleCache"/>); null reads the YAML every time.</param>
    public static IReadOnlyList<Rule> LoadBuiltIn(string? cacheDirectory = null)
    {
        var assembly = typeof(RuleLoader).Assembly;
        string[] sources = [.. assembly.GetManifestResourceNames().Where(n => n.StartsWith("rules/", StringComparison.Ordinal)).Order()];
        var cache = cacheDirectory is null ? null : new BuiltInRuleCache(cacheDirectory, sources);
        var documents = cache?.TryRead();
        if (documents is null)
        {
            documents = [.. sources.Select(name => new RuleDocumentFile(name, Read(ReadResource(assembly, name), name)))];
            cache?.TryWrite(documents);
        }
        return [.. documents.SelectMany(file => file.Rules.Select(r => Convert(r, file.Source, builtIn: true)))];
    }

    private static string ReadResource(System.Reflection.Assembly assembly, string name)
    {
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>A rule file, or every *.yaml / *.yml / *.toml file in a folder; peers' rule files
    /// (gitleaks, Nosey Parker, Kingfisher) are translated by <see cref="PeerRules"/>.</summary>
    /// <param name="warn">Told about each peer rule that is left out, and why.</param>
    public static IReadOnlyList<Rule> LoadPath(string path, Action<string> warn)
    {
        IEnumerable<string> files = Directory.Exists(path)
            ? new[] { "*.yaml", "*.yml", "*.toml" }.SelectMany(glob => Directory.EnumerateFiles(path, glob)).Order()
            : File.Exists(path) ? [path] : throw new RuleLoadException($"{path}: no such rule file or folder");
        var rules = new List<Rule>();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            if (PeerRules.TryImport(file, text, warn) is { } imported)
            {
                rules.AddRange(imported);
            }
            else
            {
                rules.AddRange(Parse(text, file));
            }
        }
        return rules;
    }

    public static IReadOnlyList<Rule> Parse(string yaml, string source) => [.. Read(yaml, source).Select(r => Convert(r, source))];

    private static List<RuleDocument> Read(string yaml, string source)
    {
        RuleFile? file;
        try
        {
            file = Yaml.Deserialize<RuleFile>(yaml);
        }
        catch (YamlException e)
        {
            throw new RuleLoadException($"{source}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        if (file?.Rules is null)
        {
            throw new RuleLoadException($"{source}: no 'rules:' list");
        }
        return file.Rules;
    }

    private static Rule Convert(RuleDocument doc, string source, bool builtIn = false)
    {
        string where = $"{source}: rule '{doc.Id ?? "(no id)"}'";
        if (string.IsNullOrWhiteSpace(doc.Id) || string.IsNullOrWhiteSpace(doc.Name))
        {
            throw new RuleLoadException($"{where}: 'id' and 'name' are required");
        }
        if (!SeverityNames.TryParseKind(doc.Kind, out var kind) || kind == FindingKind.Fingerprint)
        {
            throw new RuleLoadException($"{where}: kind must be secret or exposure, not '{doc.Kind}'");
        }
        if (!SeverityNames.TryParse(doc.Severity, out var severity))
        {
            throw new RuleLoadException($"{where}: severity must be critical, high, medium, low or info, not '{doc.Severity}'");
        }
        var confidence = Confidence.High;
        if (doc.Confidence is not null && !SeverityNames.TryParseConfidence(doc.Confidence, out confidence))
        {
            throw new RuleLoadException($"{where}: confidence must be high, medium or low, not '{doc.Confidence}'");
        }
        bool judged = doc.Context switch
        {
            null => false,
            "assignment" or "configuration" => true,
            _ => throw new RuleLoadException($"{where}: context must be 'assignment' or 'configuration', not '{doc.Context}'"),
        };
        if (judged && doc.Pattern is null)
        {
            throw new RuleLoadException($"{where}: 'context: {doc.Context}' needs a pattern");
        }
        if (doc.Parser is not null)
        {
            if (!CredentialFiles.CredentialFileParsers.Exists(doc.Parser))
            {
                throw new RuleLoadException($"{where}: no parser '{doc.Parser}' (known: {string.Join(", ", CredentialFiles.CredentialFileParsers.Names)})");
            }
            if (doc.Path is null || doc.Pattern is not null)
            {
                throw new RuleLoadException($"{where}: a 'parser' rule needs a 'path' naming the files it reads, and no 'pattern'");
            }
        }
        if (doc.Pattern is null && doc.Path is null)
        {
            throw new RuleLoadException($"{where}: a rule needs a 'pattern', a 'path', or both");
        }
        if (doc.Pattern is not null && (doc.Keywords is null || doc.Keywords.Count == 0))
        {
            throw new RuleLoadException($"{where}: a content rule needs 'keywords'");
        }
        IReadOnlyList<string>? examples = doc.CachedExamples ?? doc.Examples, negativeExamples = doc.CachedNegativeExamples ?? doc.NegativeExamples;
        if (examples is null || examples.Count == 0 || negativeExamples is null || negativeExamples.Count == 0)
        {
            throw new RuleLoadException($"{where}: needs at least one example and one negative example");
        }
        Regex? path = null;
        if (doc.Path is not null)
        {
            try
            {
                path = PathRegex(doc.Path);
            }
            catch (ArgumentException e)
            {
                throw new RuleLoadException($"{where}: bad path regex: {e.Message}");
            }
        }
        if (doc.Validate is not null && (doc.Pattern is null && doc.Parser is null))
        {
            throw new RuleLoadException($"{where}: only a rule that finds a secret can validate it");
        }
        TokenChecksum? checksum;
        try
        {
            checksum = doc.Checksum is not null && doc.Pattern is null
                ? throw new RuleLoadException($"{where}: only a pattern rule can check a token's checksum")
                : TokenChecksums.Parse(doc.Checksum);
        }
        catch (ArgumentException e)
        {
            throw new RuleLoadException($"{where}: {e.Message}");
        }
        return new Rule
        {
            Id = doc.Id,
            Name = doc.Name,
            Kind = kind,
            Severity = severity,
            Confidence = doc.Confidence is null && judged ? Confidence.Medium : confidence,
            JudgedByContext = judged,
            ConfigurationOnly = doc.Context == "configuration",
            // The family (the id up to its first dot) is always a tag: "generic" names every generic rule.
            Tags = [.. new[] { doc.Id.Split('.')[0] }.Concat(doc.Tags ?? []).Distinct(StringComparer.Ordinal)],
            Pattern = doc.Pattern,
            Keywords = doc.Keywords ?? [],
            Parser = doc.Parser,
            Entropy = doc.Entropy,
            Checksum = checksum,
            Path = path,
            Examples = examples,
            NegativeExamples = negativeExamples,
            References = doc.CachedReferences ?? doc.References ?? [],
            Validator = doc.Validate is null || builtIn ? null : ValidatorSpec.From(doc.Validate, where),
            MakeValidator = doc.Validate is { } validate && builtIn ? () => ValidatorSpec.From(validate, where) : null,
            Source = source,
            BuiltIn = builtIn,
        };
    }

    /// <summary>A rule's own path condition: the backtracking interpreter with a time limit, which
    /// costs next to nothing to build (a non-backtracking regex per rule cost 0.3 s of start-up).
    /// Paths meet these one by one only until <see cref="PathFilter"/> has built its joined
    /// automaton, and then only for the few paths it picks.</summary>
    private static Regex PathRegex(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | (SearchFromEnd(pattern) ? RegexOptions.RightToLeft : RegexOptions.None), TimeSpan.FromSeconds(1));

    /// <summary>A condition anchored at the path's end (<c>…\.pem$</c>, a last segment) is searched
    /// from the end: searched from the start, the interpreter tried it at every position of a long
    /// member path first (~9.5 against ~5.3 µs on a source map's paths). Only where the direction
    /// cannot change whether it matches: no back-reference, look-around, atomic group or conditional.</summary>
    private static bool SearchFromEnd(string pattern) =>
        pattern.EndsWith('$') && !pattern.EndsWith(@"\$", StringComparison.Ordinal) && !DirectionalConstruct().IsMatch(pattern);

    [GeneratedRegex(@"\\[1-9k]|\(\?(?:[=!>(]|<[=!])")]
    private static partial Regex DirectionalConstruct();

    private sealed class RuleFile
    {
        public List<RuleDocument>? Rules { get; set; }
    }
}
