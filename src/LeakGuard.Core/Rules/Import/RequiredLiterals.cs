using static LeakGuard.Core.Rules.Import.PeerRegex;

namespace LeakGuard.Core.Rules.Import;

/// <summary>
/// The literals every match of a parsed pattern contains, lower-cased: LeakGuard finds windows by
/// keywords inside the match (rules/README.md), and peers' rules have no keywords (Nosey Parker,
/// Kingfisher) or keywords that need not occur in the match (gitleaks). The best set wins: the one
/// whose shortest literal is longest. Sets are bounded so that a class-heavy pattern stays cheap.
/// </summary>
internal static class RequiredLiterals
{
    private const int MinLength = 3;
    private const int MaxSet = 64;
    private const int MaxLength = 64;

    public static IReadOnlyList<string> Of(Node root) =>
        Best(Analyze(root)) is { } best ? [.. best.Order(StringComparer.Ordinal)] : [];

    /// <param name="Exact">Every string the node matches, when that is a small finite set.</param>
    /// <param name="Required">A set of 3+ character literals one of which every match contains.</param>
    private sealed record Facts(HashSet<string>? Exact, HashSet<string>? Required);

    private static Facts Analyze(Node node)
    {
        switch (node)
        {
            case Literal l:
                return new Facts([char.ToLowerInvariant(l.Char).ToString()], null);
            case CharClass c when c.Members is { Count: <= 4 } members:
                return new Facts([.. members.Select(m => char.ToLowerInvariant(m).ToString())], null);
            case Assertion:
                return new Facts([""], null);
            case Group g:
                return Analyze(g.Inner);
            case Alternation a:
                {
                    var branches = a.Branches.Select(Analyze).ToList();
                    HashSet<string>? exact = branches.All(b => b.Exact is not null)
                        ? [.. branches.SelectMany(b => b.Exact!)]
                        : null;
                    var required = new HashSet<string>();
                    foreach (var b in branches)
                    {
                        if (Best(b) is not { } best) { required = null; break; }
                        required.UnionWith(best);
                    }
                    return new Facts(exact is { Count: <= MaxSet } ? exact : null, required is { Count: > 0 and <= MaxSet } ? required : null);
                }
            case Repeat r:
                {
                    var inner = Analyze(r.Inner);
                    if (r.Min == 0)
                    {
                        return new Facts(r.Max == 1 && inner.Exact is { } e ? [.. e, ""] : null, null);
                    }
                    var exact = r.Max == r.Min && inner.Exact is { } ex ? Power(ex, r.Min) : null;
                    return new Facts(exact, Best(inner));
                }
            case Sequence s:
                return AnalyzeSequence(s);
            default:
                return new Facts(null, null);
        }
    }

    /// <summary>Adjacent exact parts join into longer literals; the best run or part wins.</summary>
    private static Facts AnalyzeSequence(Sequence s)
    {
        HashSet<string>? run = [""];
        HashSet<string>? best = null;
        bool allExact = true;
        for (int k = 0; k < s.Items.Count; k++)
        {
            var facts = Analyze(s.Items[k]);
            if (facts.Exact is { } exact && run is not null && Product(run, exact) is { } joined)
            {
                run = joined;
                continue;
            }
            best = Better(best, Candidate(run));
            if (facts.Exact is null && run is not null && Starts(s.Items, k) is { } starts)
            {
                // The run goes on into what every match continues with here: "$5" then an optional
                // "$rounds=…" then "$" always holds "$5$rounds=" or "$5$".
                best = Better(best, Candidate(Product(run, starts)));
            }
            if (facts.Exact is null)
            {
                allExact = false;
                best = Better(best, facts.Required);
                run = [""];
            }
            else
            {
                // The run grew too big: start a new one here.
                allExact = false;
                run = facts.Exact;
            }
        }
        best = Better(best, Candidate(run));
        return new Facts(allExact ? run : null, best);
    }

    /// <summary>Strings one of which every match of <paramref name="items"/> from
    /// <paramref name="from"/> on starts with (possibly empty); null when not a small known set.
    /// An optional item adds what follows it.</summary>
    private static HashSet<string>? Starts(List<Node> items, int from, int depth = 0)
    {
        if (from >= items.Count || depth > 8)
        {
            return [""];
        }
        var item = items[from];
        if (Analyze(item).Exact is { } exact)
        {
            return Starts(items, from + 1, depth + 1) is { } rest && Product(exact, rest) is { } joined ? joined : exact;
        }
        if (item is Repeat { Min: 0 } optional)
        {
            return StartsOf(optional.Inner, depth + 1) is { } taken && Starts(items, from + 1, depth + 1) is { } skipped
                && taken.Count + skipped.Count <= MaxSet
                ? [.. taken, .. skipped]
                : null;
        }
        return StartsOf(item, depth + 1);
    }

    private static HashSet<string>? StartsOf(Node node, int depth) => node switch
    {
        Group g => StartsOf(g.Inner, depth),
        Sequence s => Starts(s.Items, 0, depth),
        Repeat { Min: > 0 } r => StartsOf(r.Inner, depth),
        Alternation a => a.Branches.Select(b => StartsOf(b, depth)).ToList() is var all && all.All(b => b is not null)
            && all.Sum(b => b!.Count) <= MaxSet ? [.. all.SelectMany(b => b!)] : null,
        _ => Analyze(node).Exact,
    };

    private static HashSet<string>? Candidate(HashSet<string>? run) =>
        run is not null && run.All(x => x.Length >= MinLength) ? run : null;

    private static HashSet<string>? Best(Facts facts) => Better(facts.Required, Candidate(facts.Exact));

    /// <summary>The set whose shortest literal is longer; on a tie, the smaller set.</summary>
    private static HashSet<string>? Better(HashSet<string>? a, HashSet<string>? b)
    {
        if (a is null || a.Count == 0) { return b is { Count: > 0 } ? b : null; }
        if (b is null || b.Count == 0) { return a; }
        int la = a.Min(x => x.Length), lb = b.Min(x => x.Length);
        return la != lb ? (la > lb ? a : b) : (a.Count <= b.Count ? a : b);
    }

    private static HashSet<string>? Product(HashSet<string> left, HashSet<string> right)
    {
        if ((long)left.Count * right.Count > MaxSet)
        {
            return null;
        }
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (string l in left)
        {
            foreach (string r in right)
            {
                if (l.Length + r.Length > MaxLength) { return null; }
                result.Add(l + r);
            }
        }
        return result;
    }

    private static HashSet<string>? Power(HashSet<string> set, int n)
    {
        HashSet<string>? result = [""];
        for (int i = 0; i < n && result is not null; i++)
        {
            result = Product(result, set);
        }
        return result;
    }
}
