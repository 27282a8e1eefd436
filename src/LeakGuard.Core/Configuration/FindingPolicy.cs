using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Configuration;

/// <summary>
/// What the settings' overrides and allowlists do to findings, per rule (global allowlist plus the
/// rule's own): secret values and stopwords are checked in the scanner where the secret is known
/// (<see cref="ForScan"/>); paths, severity and confidence when the scan is over, on every finding
/// (analyzer findings too, and disabled analyzer rules are dropped there: analyzers are not rules
/// the engine can leave out).
/// </summary>
internal sealed class FindingPolicy
{
    private readonly Dictionary<string, Tuning> _byRule = new(StringComparer.Ordinal);
    private readonly Tuning _global;
    private readonly HashSet<string> _disabledAnalyzers = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _roots;

    private FindingPolicy(ScanSettings settings, RuleSet rules)
    {
        _global = new Tuning(null, null, settings.Allowlist);
        _roots = settings.ScanRoots;
        // Disabled content and path rules are not in the rule set; analyzers always run.
        foreach (var rule in AnalyzerRules.All.Where(rule => RuleTuning.IsDisabled(rule, settings)))
        {
            _disabledAnalyzers.Add(rule.Id);
        }
        foreach (var rule in rules.All.Concat(AnalyzerRules.All))
        {
            var entry = RuleTuning.Override(rule, settings);
            _byRule[rule.Id] = entry is null ? _global : new Tuning(entry.Severity, entry.Confidence, settings.Allowlist.With(entry.Allowlist));
        }
        HasScanAllowlists = _byRule.Values.Any(t => t.Allowlist.Values.Count > 0 || t.Allowlist.Stopwords.Count > 0 || t.Paths is not null);
        Analyzers = [.. AnalyzerRules.All
            .Where(rule => !_disabledAnalyzers.Contains(rule.Id))
            .Select(rule => _byRule[rule.Id].Severity is { } severity ? rule.WithSeverity(severity) : rule)];
    }

    /// <summary>The policy of the settings; null when they change nothing, so a scan without a
    /// configuration file does no extra work.</summary>
    public static FindingPolicy? For(ScanSettings settings, RuleSet rules) =>
        settings.DisabledRules.Count == 0 && settings.RuleOverrides.Count == 0 && settings.Allowlist.IsEmpty
            ? null
            : new FindingPolicy(settings, rules);

    /// <summary>The analyzer rules still reported, at their overridden severities (for a report's rule table).</summary>
    public IReadOnlyList<Rule> Analyzers { get; }

    private bool HasScanAllowlists { get; }

    /// <summary>The scanner's hook for one scan, counting what it allows; null when no allowlist
    /// names values, stopwords or paths.</summary>
    public SecretAllowlist? ForScan() => HasScanAllowlists ? new SecretAllowlist(this) : null;

    /// <summary>The findings without disabled analyzers' and path-allowlisted ones (analyzer
    /// findings; content findings were allowlisted by path in the scan), severity and confidence
    /// overridden; and how many the allowlists dropped.</summary>
    public (IReadOnlyList<Finding> Findings, int Allowlisted) Apply(IReadOnlyList<Finding> findings)
    {
        var kept = new List<Finding>(findings.Count);
        int allowlisted = 0;
        foreach (var finding in findings)
        {
            if (_disabledAnalyzers.Contains(finding.RuleId))
            {
                continue;
            }
            var tuning = _byRule.GetValueOrDefault(finding.RuleId, _global);
            if (tuning.Paths is { } paths && Parts(finding.Location.Path).Any(paths.Matches))
            {
                allowlisted++;
                continue;
            }
            kept.Add(tuning.Severity is null && tuning.Confidence is null
                ? finding
                : finding with { Severity = tuning.Severity ?? finding.Severity, Confidence = tuning.Confidence ?? finding.Confidence });
        }
        return (kept, allowlisted);
    }

    /// <summary>What path allowlists see of a finding's path: the file relative to the scanned folder
    /// it is in (or as named, for other sources: a git path, a package), then each archive member's path.</summary>
    private string[] Parts(string path) => PathGlobs.Relative(path, _roots).Split('!');

    /// <summary>A rule's severity and confidence overrides and its allowlist (the global one included).</summary>
    private sealed class Tuning(Severity? severity, Confidence? confidence, Allowlist allowlist)
    {
        public Severity? Severity { get; } = severity;
        public Confidence? Confidence { get; } = confidence;
        public Allowlist Allowlist { get; } = allowlist;
        public PathGlobs? Paths { get; } = PathGlobs.AnyOf(allowlist.Paths);
    }

    /// <summary>The value, stopword and path allowlists as the scanner consults them during one scan.</summary>
    internal sealed class SecretAllowlist(FindingPolicy policy) : ISecretAllowlist
    {
        private int _allowed;
        private int _allowedByPath;

        /// <summary>Secrets allowed so far by value or stopword.</summary>
        public int Allowed => Volatile.Read(ref _allowed);

        /// <summary>Matches allowed so far by their path.</summary>
        public int AllowedByPath => Volatile.Read(ref _allowedByPath);

        public bool Allows(Rule rule, string path, string secret)
        {
            var tuning = policy._byRule.GetValueOrDefault(rule.Id, policy._global);
            if (tuning.Paths is { } paths && policy.Parts(path).Any(paths.Matches))
            {
                Interlocked.Increment(ref _allowedByPath);
                return true;
            }
            if (!tuning.Allowlist.AllowsSecret(secret))
            {
                return false;
            }
            Interlocked.Increment(ref _allowed);
            return true;
        }
    }
}
