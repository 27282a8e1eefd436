using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Protection;

/// <summary>
/// One <c>leakguard.protected-code</c> finding per scanned input and protected codebase, however
/// many of the input's files (archive members, embedded sources) match: an incident responder
/// wants "this release holds 12 files of acme/agent-core", with the list, not twelve alerts.
/// </summary>
internal static class ProtectedCodeFindings
{
    /// <summary>Pairs of files listed in one finding's details; the rest are counted.</summary>
    private const int ListedFiles = 200;

    /// <summary>Protected paths listed in one finding's details (what a release diff compares).</summary>
    private const int ListedProtectedPaths = 2_000;

    public static IEnumerable<Finding> Of(SourceItem item, IReadOnlyList<(Blob Blob, ProtectedMatch Match)> matches)
    {
        var rule = AnalyzerRules.ProtectedCode;
        foreach (var codebase in matches.GroupBy(m => m.Match.Codebase.Name, StringComparer.Ordinal))
        {
            // Every (scanned file, protected file) pair: a bundle holds many protected files.
            var files = codebase.OrderByDescending(m => m.Match.ProtectedLines).ThenBy(m => m.Blob.Path, StringComparer.Ordinal)
                .ThenBy(m => m.Match.File.Path, StringComparer.Ordinal).ToList();
            var (firstBlob, first) = files[0];
            int scannedFiles = files.Select(f => f.Blob.Path).Distinct(StringComparer.Ordinal).Count();
            bool single = scannedFiles == 1;
            var protectedFiles = files.Select(f => f.Match.File.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var details = new Dictionary<string, object?>
            {
                ["codebase"] = codebase.Key,
                ["matchedFiles"] = scannedFiles,
                ["protectedFiles"] = protectedFiles.Count,
                ["protectedPaths"] = protectedFiles.Take(ListedProtectedPaths).ToList(),
                ["matchedLines"] = files.GroupBy(f => f.Match.File.Path, StringComparer.Ordinal).Sum(g => g.Max(f => f.Match.ProtectedLines)),
                ["similarity"] = Math.Round(files.Max(f => f.Match.Similarity), 3),
                ["files"] = files.Take(ListedFiles).Select(f => new Dictionary<string, object?>
                {
                    ["path"] = f.Blob.Path,
                    ["lines"] = string.Join(", ", f.Match.Ranges),
                    ["protectedFile"] = f.Match.File.Path,
                    ["protectedLines"] = string.Join(", ", f.Match.ProtectedRanges),
                    ["similarity"] = Math.Round(f.Match.Similarity, 3),
                }).ToList(),
            };
            if (files.Count > ListedFiles)
            {
                details["moreFiles"] = files.Count - ListedFiles;
            }
            var origin = firstBlob.Origin;
            yield return new Finding
            {
                RuleId = rule.Id,
                Kind = rule.Kind,
                Severity = rule.Severity,
                Confidence = Confidence.High,
                Title = $"{rule.Name}: {protectedFiles.Count} {(protectedFiles.Count == 1 ? "file" : "files")} of {codebase.Key}",
                Location = new Location
                {
                    Path = single ? firstBlob.Path : item.Path,
                    Line = single ? first.Ranges[0].Start : null,
                    Commit = origin?.Commit,
                    Author = origin?.Author,
                    Date = origin?.Date,
                    Package = origin?.Package,
                    Version = origin?.Version,
                },
                // The same input holding the same protected files is the same finding, whichever lines moved.
                Fingerprint = SecretText.Fingerprint(rule.Id, item.FingerprintPath ?? item.Path, codebase.Key + "\n" + string.Join("\n", protectedFiles)),
                Details = details,
            };
        }
    }
}
