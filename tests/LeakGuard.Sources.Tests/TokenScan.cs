using LeakGuard.Core.Expansion;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Sources.Tests;

/// <summary>Scans source items with one throwaway rule (GitHub classic tokens) on the managed
/// engine: what the source tests need to see items flow through the real pipeline.</summary>
internal static class TokenScan
{
    private const string Rules = """
        rules:
          - id: t
            name: token
            kind: secret
            severity: high
            pattern: 'ghp_[A-Za-z0-9]{36}'
            keywords: [ghp_]
            examples: ['ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK']
            negative_examples: ['ghp_']
        """;

    public static ScanResult Run(IEnumerable<SourceItem> items, ScanOptions? options = null)
    {
        var rules = new RuleSet(RuleLoader.Parse(Rules, "t.yaml"));
        using var engine = MatchEngineFactory.Create(EngineKind.Managed, rules.Patterns, null);
        return new Scanner(rules, engine, options ?? new ScanOptions()).Run(items);
    }
}
