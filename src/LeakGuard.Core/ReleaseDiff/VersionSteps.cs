using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>
/// When one scan covers several versions of a package, compares each version with the one
/// before it: a note per version that changed ("@acme/cli 2.1.0 adds package/cli.js.map
/// (57.0 MiB); not in 2.0.9"), and <c>details.newSince</c> on each finding the previous version
/// did not have. Versions are taken in the order the source listed them (oldest first).
/// </summary>
public static class VersionSteps
{
    private const int FilesPerNote = 10;

    public static (IReadOnlyList<Finding> Findings, IReadOnlyList<string> Notes) Annotate(IReadOnlyList<SourceItem> items,
        IReadOnlyList<InventoriedFile> files, IReadOnlyList<Finding> findings)
    {
        var notes = new List<string>();
        var newSince = new Dictionary<Finding, string>(ReferenceEqualityComparer.Instance);
        foreach (var package in items.Where(i => i.Origin?.Package is not null && i.Origin.Version is not null)
                     .GroupBy(i => i.Origin!.Package!, StringComparer.Ordinal))
        {
            var versions = package.Select(i => i.Origin!.Version!).Distinct(StringComparer.Ordinal).ToList();
            for (int i = 1; i < versions.Count; i++)
            {
                var diff = ReleaseComparison.Compare(Release(package.Key, versions[i - 1], files, findings),
                    Release(package.Key, versions[i], files, findings));
                notes.AddRange(Describe(package.Key, diff));
                foreach (var finding in diff.NewFindings)
                {
                    newSince[finding] = diff.Old;
                }
            }
        }
        if (newSince.Count == 0)
        {
            return (findings, notes);
        }
        var annotated = findings.Select(f => newSince.TryGetValue(f, out string? previous)
            ? f with { Details = new Dictionary<string, object?>(f.Details) { ["newSince"] = previous } }
            : f).ToList();
        return (annotated, notes);
    }

    private static ReleaseContents Release(string package, string version, IReadOnlyList<InventoriedFile> files, IReadOnlyList<Finding> findings) =>
        new(version,
            [.. files.Where(f => f.Origin?.Package == package && f.Origin.Version == version)],
            [.. findings.Where(f => f.Location.Package == package && f.Location.Version == version)],
            ReleaseContents.InsideItem);

    /// <summary>One line for each kind of change NEW made: files added, grown, dropped, protected
    /// code it holds that OLD did not, new findings.</summary>
    public static IEnumerable<string> Describe(string package, ReleaseComparison diff)
    {
        if (diff.Added.Count > 0)
        {
            yield return $"{package} {diff.New} adds {Listed(diff.Added, c => $"{c.Path} ({FileChange.Describe(c.NewSize!.Value, c.EmbeddedFiles)})")}; not in {diff.Old}";
        }
        if (diff.Grown.Count > 0)
        {
            yield return $"{package} {diff.New} grows {Listed(diff.Grown, c => $"{c.Path} ({Reporting.ByteCount.Format(c.OldSize!.Value)} -> {FileChange.Describe(c.NewSize!.Value, c.EmbeddedFiles)})")} since {diff.Old}";
        }
        if (diff.Removed.Count > 0)
        {
            yield return $"{package} {diff.New} drops {Listed(diff.Removed, c => c.Path)} (in {diff.Old})";
        }
        foreach (var change in diff.ProtectedCode)
        {
            yield return $"{package} {diff.New} {ProtectedCodeText.Describe(change)}{(change.Starts ? $"; not in {diff.Old}" : $"; {diff.Old} held {change.PreviousFiles:N0}")}";
        }
        if (diff.NewFindings.Count > 0)
        {
            yield return $"{package} {diff.New}: {diff.NewFindings.Count} finding{(diff.NewFindings.Count == 1 ? "" : "s")} not in {diff.Old}";
        }
    }

    private static string Listed(IReadOnlyList<FileChange> changes, Func<FileChange, string> describe)
    {
        string shown = string.Join(", ", changes.Take(FilesPerNote).Select(describe));
        return changes.Count > FilesPerNote ? $"{shown} and {changes.Count - FilesPerNote} more" : shown;
    }
}
