using LeakGuard.Sources.Http;
using Semver;

namespace LeakGuard.Sources.Packages;

/// <summary>
/// Picks which published versions a target names: <c>all</c>, one exact version, a dist-tag
/// (npm's <c>latest</c>, <c>next</c>…), or a range with npm's semantics (<c>^2.0.0</c>,
/// <c>&gt;=1.2 &lt;2</c>, <c>1.x</c>; pre-releases only when the range names one). The result is
/// oldest first, so each version can be compared with the one before it.
/// </summary>
public static class VersionSelection
{
    public const string All = "all";

    public static IReadOnlyList<string> Select(string package, string registry, IReadOnlyCollection<string> published, string spec,
        IReadOnlyDictionary<string, string> tags)
    {
        if (published.Count == 0)
        {
            throw new RegistryException($"{package} has no published versions on {registry}");
        }
        if (spec == All)
        {
            return Ordered(published);
        }
        string? exact = published.FirstOrDefault(v => string.Equals(v, spec, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return [exact];
        }
        if (tags.TryGetValue(spec, out string? tagged) && published.Contains(tagged))
        {
            return [tagged];
        }
        if (SemVersion.TryParse(spec, SemVersionStyles.Strict, out _))
        {
            throw new RegistryException($"{package}@{spec} does not exist on {registry} (newest published: {Ordered(published)[^1]})");
        }
        if (!SemVersionRange.TryParseNpm(spec, out var range))
        {
            throw new RegistryException($"{package}: '{spec}' is neither a version, a dist-tag, a semver range nor 'all'");
        }
        var matching = published.Where(v => SemVersion.TryParse(v, SemVersionStyles.Strict, out var parsed) && range.Contains(parsed)).ToList();
        if (matching.Count == 0)
        {
            throw new RegistryException($"no version of {package} on {registry} matches '{spec}' (newest published: {Ordered(published)[^1]})");
        }
        return Ordered(matching);
    }

    /// <summary>The highest version without a pre-release tag (NuGet's default), else the
    /// highest of all; null when nothing is published.</summary>
    public static string? NewestStable(IReadOnlyCollection<string> published)
    {
        var ordered = Ordered(published);
        return ordered.LastOrDefault(v => !v.Contains('-', StringComparison.Ordinal)) ?? ordered.LastOrDefault();
    }

    /// <summary>Semver precedence order; versions that are not semver (old NuGet four-part
    /// versions) come first, in ordinal order.</summary>
    public static List<string> Ordered(IEnumerable<string> versions) =>
        [.. versions
            .Select(v => (Text: v, Parsed: SemVersion.TryParse(v, SemVersionStyles.Strict, out var p) ? p : null))
            .OrderBy(v => v.Parsed is not null)
            .ThenBy(v => v.Parsed!, SemVersion.PrecedenceComparer)
            .ThenBy(v => v.Text, StringComparer.Ordinal)
            .Select(v => v.Text)];
}
