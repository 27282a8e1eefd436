using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Matching;

namespace LeakGuard.Core.Rules.Import;

/// <summary>
/// One peer rule as read from its file, before translation; <see cref="ToRule"/> turns it into a
/// LeakGuard <see cref="Rule"/> that both engines run, or says in one line why it cannot.
/// Imported rules are secrets of high severity unless the peer's file says otherwise.
/// </summary>
internal sealed class ImportedRule
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Pattern { get; init; }
    public int SecretGroup { get; init; }
    /// <summary>The peer's keywords (gitleaks); used when every match is sure to contain one.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public double? Entropy { get; init; }
    public string? Path { get; init; }
    public Confidence Confidence { get; init; } = Confidence.High;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Examples { get; init; } = [];
    public IReadOnlyList<string> NegativeExamples { get; init; } = [];
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<ImportedAllowlist> Allowlists { get; init; } = [];

    /// <exception cref="UntranslatablePatternException">The rule cannot run here; the message says why.</exception>
    public Rule ToRule(string source)
    {
        if (Pattern is null && Path is null)
        {
            throw new UntranslatablePatternException("neither a regex nor a path");
        }
        Regex? path = null;
        if (Path is not null)
        {
            try
            {
                path = ImportedAllowlist.Compile(Path);
            }
            catch (ArgumentException e)
            {
                throw new UntranslatablePatternException($"bad path regex: {e.Message}");
            }
        }
        string? pattern = null;
        IReadOnlyList<string> keywords = [];
        if (Pattern is not null)
        {
            (pattern, keywords) = Translate();
        }
        return new Rule
        {
            Id = Id,
            Name = Name,
            Kind = FindingKind.Secret,
            Severity = Severity.High,
            Confidence = Confidence,
            Tags = [.. new[] { Id.Split('.')[0] }.Concat(Tags).Distinct(StringComparer.Ordinal)],
            Pattern = pattern,
            Keywords = keywords,
            Entropy = Entropy,
            Path = path,
            Examples = Examples,
            NegativeExamples = NegativeExamples,
            References = References,
            Allowlists = Allowlists,
            Source = source,
        };
    }

    /// <summary>The pattern in LeakGuard's dialect with the keywords that find its windows, checked
    /// as both engines will check it.</summary>
    private (string Pattern, IReadOnlyList<string> Keywords) Translate()
    {
        var translated = PeerRegex.Translate(Pattern!, SecretGroup);
        if (translated.RequiredLiterals.Count == 0)
        {
            throw new UntranslatablePatternException("no literal of 3 or more characters occurs in every match (LeakGuard needs one to find where to look)");
        }
        var keywords = PeerKeywordsCover(translated.RequiredLiterals) ? Keywords.Select(k => k.ToLowerInvariant()).ToList() : translated.RequiredLiterals;
        try
        {
            _ = new CompiledPattern(0, new PatternDefinition(Id, translated.Pattern, keywords));
            return (translated.Pattern, keywords);
        }
        catch (PatternSyntaxException e)
        {
            throw new UntranslatablePatternException(e.Message);
        }
        catch (ArgumentException e)
        {
            throw new UntranslatablePatternException($".NET rejects the translation: {e.Message}");
        }
    }

    /// <summary>The peer's keywords can find the windows only if every match contains one of them.</summary>
    private bool PeerKeywordsCover(IReadOnlyList<string> required) =>
        Keywords.Count > 0
        && Keywords.All(k => k.Length >= 3 && System.Text.Ascii.IsValid(k))
        && required.All(literal => Keywords.Any(k => literal.Contains(k, StringComparison.OrdinalIgnoreCase)));
}
