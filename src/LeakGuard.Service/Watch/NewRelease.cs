using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Sources.Packages;

namespace LeakGuard.Service.Watch;

/// <summary>
/// A version a watcher has just scanned, compared with the version before it that the store
/// already knows (by version order, not publication order: a 1.2.5 patch published after 2.0.0
/// is compared with 1.2.4). What it adds, grows and drops becomes <see cref="Changes"/>; each
/// finding the previous version did not have carries <c>details.newSince</c> and those changes,
/// which alerts show.
/// </summary>
internal sealed class NewRelease
{
    private NewRelease(ReleaseContents contents, string? previous, IReadOnlyList<string> changes, IReadOnlyList<Finding> findings)
    {
        Contents = contents;
        Previous = previous;
        Changes = changes;
        Findings = findings;
    }

    public ReleaseContents Contents { get; }

    /// <summary>The version compared with; null for the first version the store sees.</summary>
    public string? Previous { get; }

    public IReadOnlyList<string> Changes { get; }

    /// <summary>The findings as the store keeps them.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <param name="recorded">Versions of the package already scanned for this target, with their manifests.</param>
    public static NewRelease Compare(string package, ReleaseContents contents, IReadOnlyDictionary<string, string> recorded)
    {
        contents = contents with { Findings = OneExposurePerFile(contents) };
        var ordered = VersionSelection.Ordered(recorded.Keys.Append(contents.Label).Distinct(StringComparer.Ordinal));
        int at = ordered.IndexOf(contents.Label);
        string? previous = at > 0 ? ordered[at - 1] : null;
        var manifest = previous is null ? null : ReleaseManifest.FromJson(recorded[previous]);
        if (manifest is null)
        {
            return new NewRelease(contents, null, [], [.. contents.Findings.Select(f => ForStore(package, contents, f, null, []))]);
        }
        var diff = ReleaseComparison.Compare(manifest.ToContents(previous!), contents);
        // The file changes only: the count of new findings is what the alerts themselves say.
        var changes = VersionSteps.Describe(package, diff with { NewFindings = [] }).ToList();
        var fresh = diff.NewFindings.ToHashSet(ReferenceEqualityComparer.Instance);
        var findings = contents.Findings.Select(f => fresh.Contains(f) ? ForStore(package, contents, f, previous, changes)
            : PerRelease(f) ? ForStore(package, contents, f, null, changes, exposedBefore: previous)
            : ForStore(package, contents, f, null, []));
        return new NewRelease(contents, previous, changes, [.. findings]);
    }

    /// <summary>
    /// One leak is one alert: the exposure findings of one file (a map that is both in a closed
    /// package and full of sources) become one, the most severe, naming the other rules in
    /// <c>details.alsoFound</c>.
    /// </summary>
    private static IReadOnlyList<Finding> OneExposurePerFile(ReleaseContents contents)
    {
        var merged = new List<Finding>(contents.Findings.Count);
        foreach (var group in contents.Findings.GroupBy(f => PerRelease(f) ? contents.KeyOf(f.Location.Path) : null))
        {
            if (group.Key is null || !group.Skip(1).Any())
            {
                merged.AddRange(group);
                continue;
            }
            var ordered = group.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ToList();
            merged.Add(ordered[0] with
            {
                Details = new Dictionary<string, object?>(ordered[0].Details)
                {
                    ["alsoFound"] = ordered.Skip(1).Select(f => f.RuleId).Distinct(StringComparer.Ordinal).ToList(),
                },
            });
        }
        return merged;
    }

    /// <summary>An exposure (a source map with its sources, embedded PDB sources, a shipped file) is
    /// a leak of that release's code: each release that exposes is its own finding, so a team that
    /// handled 1.1.0's map hears about 1.2.0's. Secrets and protected code keep their own keys.</summary>
    private static bool PerRelease(Finding finding) => finding.Kind == FindingKind.Exposure && !ProtectedCodeChange.IsProtectedCode(finding);

    /// <summary>
    /// The store tells new findings from known ones by fingerprint. A scan report's fingerprint
    /// names the item (<c>@acme/cli@2.1.0.tgz!…</c>), so every version would look new; here it is
    /// taken over the package, the path inside the release, the rule and the secret, so a leak
    /// that stays in the next version is the same finding, seen again. Protected code is keyed by
    /// the protected files it holds, so a version holding more of them is a new finding; any other
    /// exposure by the version too (<see cref="PerRelease"/>).
    /// </summary>
    /// <param name="exposedBefore">For an exposure the previous release had too: that release, named in the alert.</param>
    private static Finding ForStore(string package, ReleaseContents contents, Finding finding, string? newSince, IReadOnlyList<string> changes,
        string? exposedBefore = null)
    {
        string? material = ProtectedCodeChange.IsProtectedCode(finding) ? ProtectedCodeChange.Material(finding)
            : PerRelease(finding) ? contents.Label
            : finding.SecretDigest;
        string fingerprint = SecretText.Fingerprint(finding.RuleId, $"{package}!{contents.KeyOf(finding.Location.Path)}", material);
        if (exposedBefore is not null)
        {
            var exposed = new Dictionary<string, object?>(finding.Details) { ["exposedBefore"] = exposedBefore };
            if (changes.Count > 0)
            {
                exposed["releaseChanges"] = changes;
            }
            return finding with { Fingerprint = fingerprint, Details = exposed };
        }
        if (newSince is null)
        {
            return finding with { Fingerprint = fingerprint };
        }
        var details = new Dictionary<string, object?>(finding.Details) { ["newSince"] = newSince };
        if (changes.Count > 0)
        {
            details["releaseChanges"] = changes;
        }
        return finding with { Fingerprint = fingerprint, Details = details };
    }
}
