using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>
/// Protected files of one codebase that NEW holds and OLD did not: a release that starts
/// containing protected code (<see cref="PreviousFiles"/> 0), or holds more of it than before.
/// </summary>
/// <param name="Files">How many of the codebase's files NEW holds.</param>
/// <param name="PreviousFiles">How many OLD held.</param>
public sealed record ProtectedCodeChange(string Codebase, IReadOnlyList<string> NewFiles, int Files, int PreviousFiles)
{
    public bool Starts => PreviousFiles == 0;

    /// <summary>One change per codebase with a protected file NEW holds that OLD did not.</summary>
    public static IReadOnlyList<ProtectedCodeChange> Compare(IReadOnlyDictionary<string, IReadOnlyList<string>> old,
        IReadOnlyDictionary<string, IReadOnlyList<string>> @new) =>
        [.. @new.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c =>
            {
                var before = old.GetValueOrDefault(c.Key) ?? [];
                var known = before.ToHashSet(StringComparer.Ordinal);
                return new ProtectedCodeChange(c.Key, [.. c.Value.Where(f => !known.Contains(f))], c.Value.Count, before.Count);
            })
            .Where(c => c.NewFiles.Count > 0)];

    /// <summary>The protected files each codebase has in these findings (their <c>protectedPaths</c>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Held(IEnumerable<Finding> findings)
    {
        var held = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var finding in findings.Where(IsProtectedCode))
        {
            if (finding.Details.GetValueOrDefault("codebase") is not string codebase)
            {
                continue;
            }
            if (!held.TryGetValue(codebase, out var files))
            {
                held[codebase] = files = new SortedSet<string>(StringComparer.Ordinal);
            }
            files.UnionWith(Paths(finding.Details.GetValueOrDefault("protectedPaths")));
        }
        return held.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)[.. c.Value], StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="finding"/> holds one of this change's new files.</summary>
    public bool IsIn(Finding finding) =>
        IsProtectedCode(finding) && Equals(finding.Details.GetValueOrDefault("codebase"), Codebase)
        && Paths(finding.Details.GetValueOrDefault("protectedPaths")).Any(NewFiles.Contains);

    public static bool IsProtectedCode(Finding finding) => finding.RuleId == AnalyzerRules.ProtectedCode.Id;

    /// <summary>What a protected-code finding is about, for keys that must change when it does:
    /// its codebase and the protected files it holds.</summary>
    public static string Material(Finding finding) =>
        $"{finding.Details.GetValueOrDefault("codebase")}\n{string.Join("\n", Paths(finding.Details.GetValueOrDefault("protectedPaths")))}";

    // In memory a list of strings; read back from a stored report, a JSON array.
    private static IEnumerable<string> Paths(object? value) => value switch
    {
        IEnumerable<string> paths => paths,
        JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.GetString()).OfType<string>(),
        _ => [],
    };
}
