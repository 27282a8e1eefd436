using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// One leak, one finding. Where several rules match the same secret, the most specific one is kept
/// and names the others in <c>details.alsoMatched</c>; where one input holds the same secret under
/// one rule in several places (a bundle and every source map that embeds it, a token repeated in a
/// minified line), the first file's lines are kept and <c>details.locations</c> counts all places.
/// </summary>
internal static class FindingMerge
{
    /// <summary>How many other places <c>details.locations</c> names.</summary>
    public const int LocationsShown = 5;

    /// <summary>How many lines of one file holding the same secret are findings of their own; further
    /// lines are counted in the first one's <c>details.locations</c>.</summary>
    public const int LinesReported = 10;

    /// <summary>A finding made from a match, with the span of its secret in the matched text.</summary>
    public readonly record struct Candidate(int Start, int End, Rule Rule, Finding Finding);

    /// <summary>Keeps, of each group of candidates whose secrets overlap, the most specific.</summary>
    public static IEnumerable<Finding> MostSpecific(List<Candidate> candidates)
    {
        if (candidates.Count < 2)
        {
            return candidates.Select(c => c.Finding);
        }
        candidates.Sort((a, b) => a.Start.CompareTo(b.Start));
        var kept = new List<Finding>();
        int i = 0;
        while (i < candidates.Count)
        {
            int end = candidates[i].End;
            int j = i + 1;
            while (j < candidates.Count && candidates[j].Start < end)
            {
                end = Math.Max(end, candidates[j].End);
                j++;
            }
            kept.Add(j - i == 1 ? candidates[i].Finding : Best(candidates.GetRange(i, j - i)));
            i = j;
        }
        return kept;
    }

    private static Finding Best(List<Candidate> group)
    {
        var ordered = group
            .OrderBy(c => c.Rule.IsGeneric)
            .ThenBy(c => c.Rule.JudgedByContext)
            .ThenByDescending(c => c.Finding.Confidence)
            .ThenByDescending(c => c.Finding.Severity)
            .ThenByDescending(c => c.End - c.Start)
            .ThenBy(c => c.Rule.Id, StringComparer.Ordinal)
            .ToList();
        var best = ordered[0].Finding;
        var others = ordered.Skip(1).Select(c => c.Rule.Id).Where(id => id != best.RuleId).Distinct().ToList();
        return others.Count == 0 ? best : best with { Details = new Dictionary<string, object?>(best.Details) { ["alsoMatched"] = others } };
    }

    /// <summary>Merges the findings of one input that carry the same rule and secret: each line of
    /// the first place's file that holds it stays a finding of its own (up to
    /// <see cref="LinesReported"/>; a CI gate annotates each line and a person edits each), and the
    /// other places (a source map embedding the bundle, another copy of the file in the package)
    /// fold into the first finding. They keep one fingerprint: one leak, wherever it repeats.</summary>
    public static List<Finding> SameSecret(List<Finding> findings)
    {
        if (findings.Count < 2)
        {
            return findings;
        }
        var merged = new List<Finding>(findings.Count);
        foreach (var group in findings.GroupBy(f => f.SecretDigest is null ? ((string, string)?)null : (f.RuleId, f.SecretDigest)))
        {
            if (group.Key is null)
            {
                merged.AddRange(group);
                continue;
            }
            // The place a person should look first: outside any map or archive member if there is
            // one, then by path and line.
            var places = group
                .OrderBy(f => f.Location.Path.Count(c => c == '!'))
                .ThenBy(f => f.Location.Path, StringComparer.Ordinal)
                .ThenBy(f => f.Location.Line ?? 0)
                .ThenBy(f => f.Location.Column ?? 0)
                .ToList();
            if (places.Count == 1)
            {
                merged.Add(places[0]);
                continue;
            }
            var first = places[0];
            var lines = new List<Finding> { first };
            var folded = new List<Finding>();
            foreach (var place in places.Skip(1))
            {
                bool anotherLine = place.Location.Path == first.Location.Path && place.Location.Line is not null
                    && place.Location.Line != lines[^1].Location.Line;
                (anotherLine && lines.Count < LinesReported ? lines : folded).Add(place);
            }
            if (folded.Count > 0)
            {
                lines[0] = first with
                {
                    Details = new Dictionary<string, object?>(first.Details)
                    {
                        ["locations"] = new Dictionary<string, object?>
                        {
                            ["count"] = places.Count,
                            ["others"] = folded.Take(LocationsShown).Select(Describe).ToList(),
                        },
                    },
                };
            }
            var confidence = places.Max(f => f.Confidence);
            merged.AddRange(lines.Select(line => line with { Confidence = confidence }));
        }
        return merged;
    }

    private static string Describe(Finding f) =>
        f.Location.Line is { } line ? $"{f.Location.Path}:{line}" : f.Location.Path;
}
