using System.Text.RegularExpressions;

namespace LeakGuard.Core.Findings;

/// <summary>
/// URLs as findings, messages and logs show them: without user info, query or fragment, any of
/// which may carry a credential (<c>https://ci:token@host/</c>, a signed <c>?X-Amz-Signature=…</c>).
/// Scheme, host, port and path stay, which is what a person needs to know where something is.
/// </summary>
public static partial class RedactedUrl
{
    /// <summary>One URL; unchanged when it has nothing to drop. Text that is not an absolute URL
    /// with a host is redacted as <see cref="InText"/> does.</summary>
    public static string Of(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.Host.Length == 0)
        {
            return InText(url);
        }
        return parsed.UserInfo.Length == 0 && parsed.Query.Length == 0 && parsed.Fragment.Length == 0 ? url : Of(parsed);
    }

    public static string Of(Uri url) =>
        new UriBuilder(url) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.AbsoluteUri;

    /// <summary>Every <c>scheme://…</c> URL in <paramref name="text"/> (a message quoting one, a
    /// target name) without user info, query or fragment. A password may itself hold '@': user info
    /// runs to the last '@' before the path.</summary>
    public static string InText(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }
        return QueryOrFragment().Replace(UserInfo().Replace(text, "$1"), "$1");
    }

    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s'""]*@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://[^\s'""?#]*)[?#][^\s'""]*")]
    private static partial Regex QueryOrFragment();
}
