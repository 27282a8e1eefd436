namespace LeakGuard.Sources.Web;

/// <summary>A <c>web:URL[,URL…]</c> target: the pages of one deployed site to start from. The
/// first URL's origin names the site (<c>web:https://app.example.com/</c>); every entry must be
/// http(s).</summary>
public sealed record WebTarget(IReadOnlyList<Uri> Entries)
{
    public const string Prefix = "web:";

    public static bool Names(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The site's origin with a trailing slash: the name its files are members of.</summary>
    public string Site => Entries[0].GetLeftPart(UriPartial.Authority) + "/";

    public string Name => Prefix + Site;

    public static WebTarget? TryParse(string name, out string reason)
    {
        var entries = new List<Uri>();
        foreach (string part in name[Prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.UserInfo.Length > 0)
            {
                reason = $"'{Core.Findings.RedactedUrl.Of(part)}': a web: target names http(s) pages without credentials, e.g. web:https://app.example.com/";
                return null;
            }
            entries.Add(url);
        }
        if (entries.Count == 0)
        {
            reason = $"'{name}': name a page, e.g. web:https://app.example.com/";
            return null;
        }
        reason = "";
        return new WebTarget(entries);
    }
}
