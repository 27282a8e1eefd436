using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// Rules tagged <see cref="Tag"/> find an identifier a validator needs beside a secret (a Twilio
/// Account SID, a storage account name, a service account's email), not a leak: their matches
/// are kept through validation, which pairs them with the secret of the same file, and are never
/// reported.
/// </summary>
public static class CompanionRules
{
    public const string Tag = "companion";

    public static IReadOnlyList<Finding> Drop(IReadOnlyList<Finding> findings, RuleSet rules)
    {
        var companions = rules.All.Where(r => r.Tags.Contains(Tag)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return companions.Count == 0 || !findings.Any(f => companions.Contains(f.RuleId))
            ? findings
            : [.. findings.Where(f => !companions.Contains(f.RuleId))];
    }
}
