namespace LeakGuard.Matching;

/// <summary>
/// Whether .NET's backtracking engine can take exponential time to try a pattern at one position.
/// Patterns are bounded, so the work is always finite, but a repeated part whose iterations can
/// divide the same text in more than one way — nested quantifiers
/// (<c>(?:[a-z]{1,30}\.?){1,30}</c>), repeated alternatives that can match the same text, a
/// repeated part that can match nothing — multiplies the work by every iteration: 69 bytes can
/// then keep a confirmation busy for longer than anyone waits.
/// <para>The bound counts the nodes of the engine's search tree on the worst input: each bounded
/// quantifier is unrolled, and at every step the worst next character is taken, summing over every
/// way the pattern can go on to consume it. That overestimates, never underestimates. A
/// repetition is linear when its bound stays within a small multiple of its count times the bound
/// of one iteration (iterations that cannot trade text add up); ambiguous ones multiply.
/// Adjacent quantifiers that can match the same text (<c>[a-z]{1,60}[a-z0-9]{1,60}</c>) cost the
/// product of their bounds, polynomial rather than exponential; the confirmation timeout is what
/// bounds those.</para>
/// </summary>
public static class BacktrackingBound
{
    /// <summary>How much more than the sum of its iterations a repetition may cost: an iteration
    /// may give a character or two back to the next one.</summary>
    private const double IterationSlack = 4;

    /// <summary>Steps any repetition may take, however ambiguous: (?:a|ab){1,3} is no risk.</summary>
    private const double FreeSteps = 2000;

    /// <summary>Unrolled characters evaluated for one part before the analysis gives up and calls
    /// the pattern too complex (a pattern that large is not worth the risk either).</summary>
    private const long MaxEvaluations = 2_000_000;

    /// <summary>Null when no repetition in the pattern is ambiguous; else why, quoting the
    /// innermost repetition at fault. Throws <see cref="PatternSyntaxException"/> for a pattern
    /// outside the dialect.</summary>
    public static string? Check(string pattern)
    {
        var (tree, _) = PatternSyntax.Parse(pattern);
        var analysis = new Analysis(tree);
        // A repeated character class is one loop: only a repeated group can be ambiguous.
        foreach (var repeat in Repeats(tree).Where(r => r.Max >= 2 && r.Body is not (CharNode or AssertionNode)))
        {
            if (analysis.Evaluate(repeat.Body) is not { } once || analysis.Evaluate(repeat) is not { } all)
            {
                return $"too complex to analyse: '{pattern[repeat.Start..repeat.End]}' at position {repeat.Start} "
                    + $"unrolls to more than {MaxEvaluations:N0} characters";
            }
            double linear = FreeSteps + IterationSlack * repeat.Max * once;
            if (all > linear)
            {
                return $"its worst case is exponential: {Describe(repeat)} '{pattern[repeat.Start..repeat.End]}' at position {repeat.Start} "
                    + $"(up to {all:G3} steps where a match is tried; {repeat.Max} iterations that cannot share text take at most {linear:N0})";
            }
        }
        return null;
    }

    /// <summary>Search steps .NET may take, at most, to try the pattern at one position (on the
    /// worst input); null when it is too large to work out.</summary>
    public static double? StepsPerPosition(string pattern)
    {
        var (tree, _) = PatternSyntax.Parse(pattern);
        return new Analysis(tree).Evaluate(tree);
    }

    /// <summary>Every repetition, innermost first.</summary>
    private static IEnumerable<RepeatNode> Repeats(PatternNode node)
    {
        IEnumerable<PatternNode> children = node switch
        {
            SequenceNode s => s.Items,
            AlternationNode a => a.Branches,
            RepeatNode r => [r.Body],
            _ => [],
        };
        foreach (var repeat in children.SelectMany(Repeats))
        {
            yield return repeat;
        }
        if (node is RepeatNode self)
        {
            yield return self;
        }
    }

    private static string Describe(RepeatNode repeat) => repeat switch
    {
        { Body.MinWidth: 0 } => "a repeated part that can match nothing",
        _ when Contains<RepeatNode>(repeat.Body, r => r.Min != r.Max) => "nested quantifiers",
        _ when Contains<AlternationNode>(repeat.Body, _ => true) => "repeated alternatives that can match the same text",
        _ => "a repeated part whose iterations can divide the same text in more than one way",
    };

    private static bool Contains<T>(PatternNode node, Func<T, bool> predicate) where T : PatternNode =>
        (node is T match && predicate(match)) || node switch
        {
            SequenceNode s => s.Items.Any(i => Contains(i, predicate)),
            AlternationNode a => a.Branches.Any(b => Contains(b, predicate)),
            RepeatNode r => Contains(r.Body, predicate),
            _ => false,
        };

    /// <summary>The evaluation over one pattern's tree. Characters are grouped into the classes
    /// no set of the pattern tells apart, so a vector has one entry per class, not per byte.</summary>
    private sealed class Analysis
    {
        private readonly Dictionary<CharNode, int[]> _classesOf = new(ReferenceEqualityComparer.Instance);
        private readonly int _classCount;
        private long _evaluations;
        private long _budgetEnd;

        public Analysis(PatternNode tree)
        {
            var nodes = new List<CharNode>();
            Collect(tree, nodes);
            // Refine one class of all bytes by every set in the pattern.
            var classOf = new int[256];
            int count = 1;
            foreach (var set in nodes.Select(n => n.Set).Distinct())
            {
                var split = new Dictionary<(int, bool), int>();
                for (int c = 0; c < 256; c++)
                {
                    var key = (classOf[c], set.Contains(c));
                    if (!split.TryGetValue(key, out int id))
                    {
                        split[key] = id = split.Count;
                    }
                    classOf[c] = id;
                }
                count = split.Count;
            }
            _classCount = count;
            foreach (var node in nodes)
            {
                _classesOf[node] = [.. Enumerable.Range(0, 256).Where(node.Set.Contains).Select(c => classOf[c]).Distinct()];
            }
        }

        private static void Collect(PatternNode node, List<CharNode> into)
        {
            switch (node)
            {
                case CharNode c:
                    into.Add(c);
                    break;
                case SequenceNode s:
                    s.Items.ToList().ForEach(i => Collect(i, into));
                    break;
                case AlternationNode a:
                    a.Branches.ToList().ForEach(b => Collect(b, into));
                    break;
                case RepeatNode r:
                    Collect(r.Body, into);
                    break;
            }
        }

        /// <summary>Search steps to try <paramref name="node"/> on its own at one position, on the
        /// worst input; null past the evaluation budget.</summary>
        public double? Evaluate(PatternNode node)
        {
            _budgetEnd = _evaluations + MaxEvaluations;
            return Next(node, new double[_classCount]) is { } entry ? 1 + entry.Max() : null;
        }

        /// <summary>
        /// Given what may follow <paramref name="node"/> — for each character class, the summed
        /// search work of every way to go on with a character of that class — the same for the
        /// position before it. Null once past the evaluation budget.
        /// </summary>
        private double[]? Next(PatternNode node, double[] then)
        {
            switch (node)
            {
                case CharNode c:
                {
                    if (++_evaluations > _budgetEnd)
                    {
                        return null;
                    }
                    // Consuming the character is one step, then the worst way on from there.
                    double after = 1 + then.Max();
                    var entry = new double[_classCount];
                    foreach (int cls in _classesOf[c])
                    {
                        entry[cls] = after;
                    }
                    return entry;
                }
                case AssertionNode:
                    return then;
                case SequenceNode s:
                {
                    double[]? entry = then;
                    for (int i = s.Items.Count - 1; i >= 0 && entry is not null; i--)
                    {
                        entry = Next(s.Items[i], entry);
                    }
                    return entry;
                }
                case AlternationNode a:
                {
                    // Every branch is tried when what follows fails.
                    var entry = new double[_classCount];
                    foreach (var branch in a.Branches)
                    {
                        if (Next(branch, then) is not { } b)
                        {
                            return null;
                        }
                        entry = Sum(entry, b);
                    }
                    return entry;
                }
                case RepeatNode r:
                {
                    // Unrolled: min mandatory copies, then (max - min) nested optional ones, each
                    // of which may be taken or skipped.
                    double[]? entry = then;
                    for (int i = 0; i < r.Max - r.Min && entry is not null; i++)
                    {
                        if (Next(r.Body, entry) is not { } taken)
                        {
                            return null;
                        }
                        entry = Sum(taken, then);
                    }
                    for (int i = 0; i < r.Min && entry is not null; i++)
                    {
                        entry = Next(r.Body, entry);
                    }
                    return entry;
                }
                default:
                    throw new InvalidOperationException($"unknown pattern node {node.GetType().Name}");
            }
        }

        // A new vector: an assertion hands back the very vector it was given.
        private static double[] Sum(double[] x, double[] y)
        {
            var sum = new double[x.Length];
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] = x[i] + y[i];
            }
            return sum;
        }
    }
}
