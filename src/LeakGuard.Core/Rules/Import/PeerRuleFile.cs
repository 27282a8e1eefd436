namespace LeakGuard.Core.Rules.Import;

/// <summary>The rules of one peer's file, not yet translated, and whether the file replaces
/// LeakGuard's built-in rules (a gitleaks configuration without <c>[extend] useDefault = true</c>
/// replaces gitleaks' own defaults, so it replaces LeakGuard's).</summary>
internal sealed record PeerRuleFile(IReadOnlyList<ImportedRule> Rules, bool ReplacesBuiltIn);
