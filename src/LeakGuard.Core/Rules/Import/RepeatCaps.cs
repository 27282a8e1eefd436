namespace LeakGuard.Core.Rules.Import;

/// <summary>
/// Chooses the upper bound of each unbounded quantifier (<c>*</c>, <c>+</c>, <c>{m,}</c>) of a
/// translated pattern. Every one starts at the documented cap; while the pattern could match more
/// than the dialect's maximum width, the largest cap is halved (among equals, the one that widens
/// the pattern most), never below the quantifier's minimum. So one nested or long repeat is
/// narrowed where it must be and the others keep their reach, instead of one cap for all.
/// </summary>
internal static class RepeatCaps
{
    public static IReadOnlyDictionary<PeerRegex.Repeat, int> Fit(PeerRegex.Node root, int cap, int maxWidth)
    {
        var caps = new Dictionary<PeerRegex.Repeat, int>(ReferenceEqualityComparer.Instance);
        Collect(root, caps, cap);
        while (Width(root, caps) > maxWidth)
        {
            PeerRegex.Repeat? widest = null;
            long widestShare = -1;
            foreach (var (repeat, share) in Shares(root, caps))
            {
                int current = caps[repeat];
                if (current / 2 < Math.Max(repeat.Min, 1))
                {
                    continue;
                }
                if (widest is null || current > caps[widest] || current == caps[widest] && share > widestShare)
                {
                    (widest, widestShare) = (repeat, share);
                }
            }
            if (widest is null)
            {
                break; // nothing left to narrow: the dialect check reports the width
            }
            caps[widest] = Math.Max(caps[widest] / 2, Math.Max(widest.Min, 1));
        }
        return caps;
    }

    private static void Collect(PeerRegex.Node node, Dictionary<PeerRegex.Repeat, int> caps, int cap)
    {
        switch (node)
        {
            case PeerRegex.Repeat r:
                if (r.Max is null)
                {
                    caps[r] = Math.Max(r.Min, cap);
                }
                Collect(r.Inner, caps, cap);
                break;
            case PeerRegex.Group g: Collect(g.Inner, caps, cap); break;
            case PeerRegex.Sequence s: s.Items.ForEach(i => Collect(i, caps, cap)); break;
            case PeerRegex.Alternation a: a.Branches.ForEach(b => Collect(b, caps, cap)); break;
        }
    }

    /// <summary>The widest match, in characters (saturating, so nested caps cannot overflow).</summary>
    private static long Width(PeerRegex.Node node, IReadOnlyDictionary<PeerRegex.Repeat, int> caps) => node switch
    {
        PeerRegex.Literal or PeerRegex.CharClass or PeerRegex.Shorthand => 1,
        PeerRegex.Assertion => 0,
        PeerRegex.Group g => Width(g.Inner, caps),
        PeerRegex.Sequence s => Math.Min(long.MaxValue / 4, s.Items.Sum(i => Width(i, caps))),
        PeerRegex.Alternation a => a.Branches.Max(b => Width(b, caps)),
        PeerRegex.Repeat r => Math.Min(long.MaxValue / 4, (r.Max ?? caps[r]) * Width(r.Inner, caps)),
        _ => 0,
    };

    /// <summary>Each unbounded quantifier with how much of the pattern's width it makes: its cap
    /// times its body's width times the caps of the repeats around it.</summary>
    private static IEnumerable<(PeerRegex.Repeat Repeat, long Share)> Shares(PeerRegex.Node root, IReadOnlyDictionary<PeerRegex.Repeat, int> caps)
    {
        var shares = new List<(PeerRegex.Repeat, long)>();
        Walk(root, 1);
        return shares;

        void Walk(PeerRegex.Node node, long around)
        {
            switch (node)
            {
                case PeerRegex.Repeat r:
                    long times = r.Max ?? caps[r];
                    if (r.Max is null)
                    {
                        shares.Add((r, Math.Min(long.MaxValue / 4, around * times * Width(r.Inner, caps))));
                    }
                    Walk(r.Inner, Math.Min(long.MaxValue / 4, around * times));
                    break;
                case PeerRegex.Group g: Walk(g.Inner, around); break;
                case PeerRegex.Sequence s: s.Items.ForEach(i => Walk(i, around)); break;
                case PeerRegex.Alternation a: a.Branches.ForEach(b => Walk(b, around)); break;
            }
        }
    }
}
