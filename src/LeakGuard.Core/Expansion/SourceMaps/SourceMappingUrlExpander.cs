using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.SourceMaps;

/// <summary>
/// Follows the sourceMappingURL of .js, .mjs, .cjs and .css files. An inline data: map is decoded
/// and scanned as a member named after the file (dist/cli.js!cli.js.map, whose sources become
/// dist/cli.js!cli.js.map!src/main.ts), while the script itself is still scanned. A relative URL is
/// resolved against the script's own folder in the same artefact and noted, so the map's exposure
/// names the script that points at it, and a map the artefact lacks is a warning. An http(s) URL
/// is an exposure of its own: the map is published on that host.
/// </summary>
public sealed class SourceMappingUrlExpander : IBlobExpander
{
    private static readonly string[] Extensions = [".js", ".mjs", ".cjs", ".css"];

    public ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        string member = blob.MemberPath;
        if (!Extensions.Any(e => member.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || SourceMappingUrl.Find(blob.Content.Span) is not { } url)
        {
            return ExpansionResult.NotHandled;
        }
        if (url.IsData)
        {
            if (url.DecodeData(blob.Content.Span) is not { } map)
            {
                sink.Warn(blob.Path, "inline source map (data: URL) could not be decoded");
                return ExpansionResult.NotHandled;
            }
            if (map.Length > budget.RemainingBytes || !budget.TakeMember())
            {
                string reason = map.Length > budget.RemainingBytes ? budget.TooManyBytes : budget.TooManyMembers;
                budget.Cut(sink, blob, blob.Path, reason, $"inline source map (data: URL) not expanded: {reason}");
                return ExpansionResult.NotHandled;
            }
            budget.Spend(map.Length);
            string name = member[(member.LastIndexOf('/') + 1)..] + ".map";
            sink.Member(blob.Member(name, map, lasting: true));
            sink.Expanded(blob, url.Offset, url.Length);
            return ExpansionResult.ExpandedAndScan;
        }
        if (url.IsHttp)
        {
            ReportRemote(blob, url.Text, sink);
        }
        else if (Resolve(blob.Path, url.Text) is { } mapPath)
        {
            sink.Release.AddMapReference(blob.Path, mapPath);
        }
        return ExpansionResult.NotHandled;
    }

    /// <summary>The archive-qualified path a relative URL names: the script's folder joined with
    /// the URL's path (query and fragment dropped, percent-escapes decoded, "." and ".." applied),
    /// or null when it climbs out of the artefact or uses another scheme.</summary>
    internal static string? Resolve(string scriptPath, string url)
    {
        int cut = url.IndexOfAny(['?', '#']);
        string relative = Uri.UnescapeDataString(cut < 0 ? url : url[..cut]);
        if (relative.Length == 0 || relative.Contains(':', StringComparison.Ordinal) || relative.StartsWith('/'))
        {
            return null;
        }
        int bang = scriptPath.LastIndexOf('!');
        string container = bang < 0 ? "" : scriptPath[..(bang + 1)];
        string memberPath = scriptPath[(bang + 1)..];
        var parts = memberPath.Split('/').SkipLast(1).ToList();
        foreach (string part in relative.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count == 0 || parts[^1] == "..")
                {
                    if (bang >= 0)
                    {
                        return null;
                    }
                    parts.Add(part);
                }
                else
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        return container + string.Join('/', parts);
    }

    private static void ReportRemote(Blob script, string url, IExpansionSink sink)
    {
        var rule = AnalyzerRules.RemoteSourceMap;
        string host = Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed.Host : "";
        // A map URL may be signed (?X-Amz-Signature=…) or carry user:password@: the finding keeps neither.
        string shown = RedactedUrl.Of(url);
        var details = script.Origin?.Details is { } known ? new Dictionary<string, object?>(known) : [];
        details["url"] = shown;
        details["host"] = host;
        sink.Report(new Finding
        {
            RuleId = rule.Id,
            Kind = rule.Kind,
            Severity = rule.Severity,
            Title = $"{rule.Name}: {host}",
            Location = new Location { Path = script.Path, Commit = script.Origin?.Commit, Author = script.Origin?.Author, Date = script.Origin?.Date, Package = script.Origin?.Package, Version = script.Origin?.Version },
            Fingerprint = SecretText.Fingerprint(rule.Id, script.FingerprintPath, shown),
            Details = details,
        });
    }
}
