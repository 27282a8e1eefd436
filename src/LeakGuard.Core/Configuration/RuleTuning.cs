using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Configuration;

/// <summary>What the settings' disabled rules and overrides do to the rules a scan loads: before the
/// engine is built, so a disabled rule costs nothing.</summary>
internal static class RuleTuning
{
    /// <summary>The loaded rules without the disabled ones, at their overridden severities.</summary>
    /// <exception cref="UsageException">A selector names no rule (every such selector is named, with file and line).</exception>
    public static IReadOnlyList<Rule> Apply(IReadOnlyList<Rule> loaded, ScanSettings settings)
    {
        if (settings.DisabledRules.Count == 0 && settings.RuleOverrides.Count == 0)
        {
            return loaded;
        }
        var known = loaded.Concat(AnalyzerRules.All).ToList();
        var problems = settings.DisabledRules.Concat(settings.RuleOverrides.Select(o => o.Rules))
            .Where(selector => !known.Any(selector.Selects))
            .Select(selector => $"{selector.Where}: no rule has the id or tag '{selector.Name}'")
            .ToList();
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join('\n', problems));
        }
        return [.. loaded
            .Where(rule => !IsDisabled(rule, settings))
            .Select(rule => Override(rule, settings) is { Severity: { } severity } && severity != rule.Severity ? rule.WithSeverity(severity) : rule)];
    }

    public static bool IsDisabled(Rule rule, ScanSettings settings) => settings.DisabledRules.Any(selector => selector.Selects(rule));

    /// <summary>Every override that names the rule, merged: those naming it by tag first, then by id,
    /// each in file order, so a later or more specific setting wins and allowlists add up; null
    /// when none names it.</summary>
    public static RuleOverride? Override(Rule rule, ScanSettings settings)
    {
        RuleOverride? merged = null;
        foreach (var entry in settings.RuleOverrides.Where(o => o.Rules.Selects(rule)).OrderBy(o => o.Rules.IsIdOf(rule)))
        {
            merged = merged is null
                ? entry
                : new RuleOverride(entry.Rules, entry.Severity ?? merged.Severity, entry.Confidence ?? merged.Confidence, merged.Allowlist.With(entry.Allowlist));
        }
        return merged;
    }
}
