using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// One leak, one finding, in a git history scan. Each distinct blob is scanned once, but a file
/// edited after a secret went into it is a new blob that still holds the secret, so the secret
/// would be reported again for every later commit that touched the file. Findings attributed to a
/// commit are grouped by repository and fingerprint (rule, path and secret): those from the
/// earliest commit stay, carrying <c>details.laterCommits</c> (how many later commits still had
/// the secret at that path) and <c>details.laterCommitIds</c> (the first
/// <see cref="LaterCommitIdsShown"/> of them); the others are dropped. Earliest is history order:
/// git sources offer blobs parents first, so the order in which commits first appear among the
/// items is it (commit dates can run backwards after a rebase). One instance serves one scan.
/// </summary>
internal sealed class HistoryFindings
{
    public const int LaterCommitIdsShown = 5;

    private readonly Dictionary<string, int> _order = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Passes <paramref name="items"/> on, noting each commit's place in history: the one
    /// its source gives (<see cref="BlobOrigin.HistoryOrder"/>), else the order commits first appear in.</summary>
    public IEnumerable<SourceItem> Watch(IEnumerable<SourceItem> items)
    {
        foreach (var item in items)
        {
            if (item.Origin?.Commit is { } commit)
            {
                lock (_lock)
                {
                    _order.TryAdd(commit, item.Origin.HistoryOrder ?? _order.Count);
                }
            }
            yield return item;
        }
    }

    /// <summary><paramref name="findings"/> in their order, with later commits' repeats of a leak
    /// folded into the earliest one's details.</summary>
    public IReadOnlyList<Finding> Collapse(IReadOnlyList<Finding> findings)
    {
        var replaced = new Dictionary<Finding, Finding?>(ReferenceEqualityComparer.Instance);
        var groups = findings
            .Where(f => f.Location.Commit is not null)
            .GroupBy(f => (Repository(f), f.Fingerprint));
        foreach (var group in groups)
        {
            var commits = group.Select(f => (f.Location.Commit!, f.Location.Date)).Distinct().OrderBy(c => c, Earliest()).Select(c => c.Item1).ToList();
            if (commits.Count < 2)
            {
                continue;
            }
            string first = commits[0];
            var later = commits.Skip(1).ToList();
            foreach (var finding in group)
            {
                replaced[finding] = finding.Location.Commit == first
                    ? finding with
                    {
                        Details = new Dictionary<string, object?>(finding.Details)
                        {
                            ["laterCommits"] = later.Count,
                            ["laterCommitIds"] = later.Take(LaterCommitIdsShown).ToArray(),
                        },
                    }
                    : null;
            }
        }
        if (replaced.Count == 0)
        {
            return findings;
        }
        var kept = new List<Finding>(findings.Count);
        foreach (var finding in findings)
        {
            if (!replaced.TryGetValue(finding, out var replacement))
            {
                kept.Add(finding);
            }
            else if (replacement is not null)
            {
                kept.Add(replacement);
            }
        }
        return kept;
    }

    private static string? Repository(Finding finding) => finding.Details.GetValueOrDefault("repository") as string;

    /// <summary>History order; commits not seen among the items (none, in practice) after those
    /// that were, by date, then id.</summary>
    private Comparer<(string Id, DateTimeOffset? Date)> Earliest() => Comparer<(string Id, DateTimeOffset? Date)>.Create((a, b) =>
    {
        int byOrder = _order.GetValueOrDefault(a.Id, int.MaxValue).CompareTo(_order.GetValueOrDefault(b.Id, int.MaxValue));
        if (byOrder != 0)
        {
            return byOrder;
        }
        int byDate = Nullable.Compare(a.Date, b.Date);
        return byDate != 0 ? byDate : string.CompareOrdinal(a.Id, b.Id);
    });
}
