using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Reporting;

/// <summary>The rules a SARIF run describes, in a fixed order so results can refer to them by
/// index: the report's rules that have findings, in the report's order, then a descriptor made
/// from the finding itself for any rule the report does not list (so no result is left without one).</summary>
internal sealed class SarifRuleTable
{
    private readonly Dictionary<string, int> _index;

    private SarifRuleTable(IReadOnlyList<Rule> rules)
    {
        Rules = rules;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rules.Count; i++)
        {
            _index[rules[i].Id] = i;
        }
    }

    public IReadOnlyList<Rule> Rules { get; }

    public int IndexOf(string ruleId) => _index[ruleId];

    public static SarifRuleTable For(ScanReport report)
    {
        var used = new HashSet<string>(report.Result.Findings.Select(f => f.RuleId), StringComparer.Ordinal);
        var rules = new List<Rule>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in report.Rules)
        {
            if (used.Contains(rule.Id) && listed.Add(rule.Id))
            {
                rules.Add(rule);
            }
        }
        foreach (var finding in report.Result.Findings)
        {
            if (listed.Add(finding.RuleId))
            {
                rules.Add(DescriptorFor(finding));
            }
        }
        return new SarifRuleTable(rules);
    }

    private static Rule DescriptorFor(Finding finding) => new()
    {
        Id = finding.RuleId,
        Name = finding.Title,
        Kind = finding.Kind,
        Severity = finding.Severity,
    };
}
