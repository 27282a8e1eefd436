using LeakGuard.Matching;

namespace LeakGuard.Core.Rules;

/// <summary>The rules of one scan: content rules become the engine's patterns (pattern i is
/// content rule i), path rules are checked against each blob's path, parser rules read the
/// credential files their path names.</summary>
public sealed class RuleSet
{
    public RuleSet(IEnumerable<Rule> rules)
    {
        var all = rules.ToList();
        var duplicate = all.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new RuleLoadException($"rule id '{duplicate.Key}' is defined twice ({string.Join(", ", duplicate.Select(r => r.Source))})");
        }
        All = all;
        ContentRules = [.. all.Where(r => r.Pattern is not null)];
        PathRules = [.. all.Where(r => r.IsPathOnly)];
        ParserRules = [.. all.Where(r => r.Parser is not null)];
        PathRuleFilter = new PathFilter(PathRules);
        ParserRuleFilter = new PathFilter(ParserRules);
        try
        {
            Patterns = CompiledPattern.CompileAll([.. ContentRules.Select(r => new PatternDefinition(r.Id, r.Pattern!, r.Keywords) { KnownToCompile = r.BuiltIn })]);
        }
        catch (PatternSyntaxException e)
        {
            throw new RuleLoadException(e.Message);
        }
        _maxMatchWidth = new Lazy<int>(() => Patterns.Count == 0 ? 0 : Patterns.Max(p => p.MaxWidth));
    }

    private readonly Lazy<int> _maxMatchWidth;

    public IReadOnlyList<Rule> All { get; }

    public IReadOnlyList<Rule> ContentRules { get; }

    public IReadOnlyList<Rule> PathRules { get; }

    /// <summary>Rules that read a named credential file with a parser (chosen by the file's path).</summary>
    public IReadOnlyList<Rule> ParserRules { get; }

    /// <summary>Which <see cref="PathRules"/> a path meets.</summary>
    public PathFilter PathRuleFilter { get; }

    /// <summary>Which <see cref="ParserRules"/> read a file at a path.</summary>
    public PathFilter ParserRuleFilter { get; }

    public IReadOnlyList<CompiledPattern> Patterns { get; }

    /// <summary>The widest match any content rule can have (patterns are bounded, so this is
    /// finite): how far streamed windows must overlap for no match to fall between them.</summary>
    public int MaxMatchWidth => _maxMatchWidth.Value;
}
