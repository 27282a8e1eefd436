using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LeakGuard.Sources.Web;

/// <summary>
/// Finds the URLs a page, script or build manifest names, by reading them, never by running
/// them: a page's <c>&lt;script src&gt;</c>, <c>&lt;link href&gt;</c> (stylesheets, modulepreload,
/// preload) and import map; a script's quoted chunk paths (webpack and Vite runtimes, Next.js's
/// <c>_buildManifest.js</c>, dynamic <c>import("./x.js")</c>); a JSON build manifest's paths
/// (<c>asset-manifest.json</c>, <c>.vite/manifest.json</c>). Each list is capped: a file that
/// names more is cut off, since real ones name a few hundred at most.
/// </summary>
public static partial class AssetDiscovery
{
    public const int MaxUrlsPerFile = 1000;

    /// <summary>Only this much of a file is searched: real pages and runtimes name their chunks
    /// well within it, and bounded regexes over it cost linear time.</summary>
    private const int MaxSearchedChars = 16 * 1024 * 1024;

    /// <summary>Build manifests a site may serve at its root, asked for on every crawl.</summary>
    public static readonly string[] RootManifests = ["asset-manifest.json", ".vite/manifest.json", "manifest.json"];

    [GeneratedRegex("""<(script|link)\b([^<>]{0,2000})>""", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex("""\b(src|href|rel|as|type)\s*=\s*(?:"([^"]{0,2000})"|'([^']{0,2000})'|([^\s"'<>]{1,2000}))""", RegexOptions.IgnoreCase)]
    private static partial Regex Attribute();

    [GeneratedRegex("""<script\b[^<>]{0,2000}type\s*=\s*["']?importmap["']?[^<>]{0,2000}>([\s\S]{0,1000000}?)</script>""", RegexOptions.IgnoreCase)]
    private static partial Regex ImportMap();

    /// <summary>A quoted relative or root path ending in a script or stylesheet extension.</summary>
    [GeneratedRegex("""["'`]((?:\.{0,2}/)?[A-Za-z0-9_@~.\-\[\]]{1,200}(?:/[A-Za-z0-9_@~.\-\[\]]{1,200}){0,12}\.(?:m?js|css))(?:\?[^"'`\s]{0,200})?["'`]""")]
    private static partial Regex QuotedAsset();

    /// <summary>URLs a page loads.</summary>
    public static IReadOnlyList<string> InPage(string html)
    {
        html = Bounded(html);
        var found = new List<string>();
        foreach (Match tag in Tag().Matches(html))
        {
            var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (Match attribute in Attribute().Matches(tag.Groups[2].Value))
            {
                string value = attribute.Groups[2].Success ? attribute.Groups[2].Value : attribute.Groups[3].Success ? attribute.Groups[3].Value : attribute.Groups[4].Value;
                attributes.TryAdd(attribute.Groups[1].Value, value);
            }
            if (tag.Groups[1].Value.Equals("script", StringComparison.OrdinalIgnoreCase))
            {
                Add(found, attributes.GetValueOrDefault("src"));
            }
            else if (attributes.GetValueOrDefault("rel") is { } rel && Loads(rel, attributes.GetValueOrDefault("as")))
            {
                Add(found, attributes.GetValueOrDefault("href"));
            }
        }
        foreach (Match map in ImportMap().Matches(html))
        {
            foreach (string url in JsonStrings(Encoding.UTF8.GetBytes(map.Groups[1].Value)))
            {
                Add(found, url);
            }
        }
        return found;
    }

    /// <summary>Chunk paths a script names (relative to the script when they start with ./ or
    /// ../, else to the site's build root).</summary>
    public static IReadOnlyList<string> InScript(string script)
    {
        var found = new List<string>();
        foreach (Match match in QuotedAsset().Matches(Bounded(script)))
        {
            Add(found, match.Groups[1].Value);
        }
        return found;
    }

    /// <summary>Paths a JSON build manifest names: every string value that is a script,
    /// stylesheet or map path.</summary>
    public static IReadOnlyList<string> InJsonManifest(byte[] json)
    {
        var found = new List<string>();
        foreach (string value in JsonStrings(json))
        {
            string path = value.Split('?', '#')[0];
            if (path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".mjs", StringComparison.Ordinal)
                || path.EndsWith(".css", StringComparison.Ordinal) || path.EndsWith(".map", StringComparison.Ordinal))
            {
                Add(found, value);
            }
        }
        return found;
    }

    private static bool Loads(string rel, string? @as)
    {
        var kinds = rel.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return kinds.Any(k => k.Equals("stylesheet", StringComparison.OrdinalIgnoreCase) || k.Equals("modulepreload", StringComparison.OrdinalIgnoreCase))
            || kinds.Any(k => k.Equals("preload", StringComparison.OrdinalIgnoreCase) || k.Equals("prefetch", StringComparison.OrdinalIgnoreCase))
               && @as is not null && (@as.Equals("script", StringComparison.OrdinalIgnoreCase) || @as.Equals("style", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every string value in a JSON document (not the keys), up to the cap; nothing
    /// when it is not JSON.</summary>
    private static List<string> JsonStrings(byte[] json)
    {
        var strings = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
            while (strings.Count < MaxUrlsPerFile && reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    strings.Add(reader.GetString()!);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON (a site answering every path with its index page): it names nothing.
        }
        return strings;
    }

    private static string Bounded(string text) => text.Length > MaxSearchedChars ? text[..MaxSearchedChars] : text;

    private static void Add(List<string> found, string? url)
    {
        if (url is { Length: > 0 } && found.Count < MaxUrlsPerFile && !found.Contains(url, StringComparer.Ordinal))
        {
            found.Add(System.Net.WebUtility.HtmlDecode(url.Trim()));
        }
    }
}
