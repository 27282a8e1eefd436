using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// Keys a provider means to be public in a web page (a Google Maps or Firebase browser key,
/// restricted by referrer, not by secrecy): their rules carry the tag <see cref="Tag"/>. Found in
/// what a deployed site serves (a <c>web:</c> target), such a key is where it belongs, so its
/// finding is low and says why; found anywhere else (a server's configuration, a package) it keeps
/// its rule's severity.
/// </summary>
public static class ServedToBrowsers
{
    public const string Tag = "public-in-browser";

    /// <summary>What a web: target's findings are named under (<c>web:https://app.example.com/!…</c>).</summary>
    private const string WebPrefix = "web:";

    public static IReadOnlyList<Finding> Lower(IReadOnlyList<Finding> findings, RuleSet rules)
    {
        var publicRules = rules.All.Where(r => r.Tags.Contains(Tag)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (publicRules.Count == 0)
        {
            return findings;
        }
        return [.. findings.Select(f => publicRules.Contains(f.RuleId) && f.Location.Path.StartsWith(WebPrefix, StringComparison.Ordinal) && f.Severity > Severity.Low
            ? f with
            {
                Severity = Severity.Low,
                Details = new Dictionary<string, object?>(f.Details) { ["publicInBrowser"] = "a key its provider means to be served to browsers, found in what the site serves" },
            }
            : f)];
    }
}
