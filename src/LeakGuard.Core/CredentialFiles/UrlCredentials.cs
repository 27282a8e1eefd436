namespace LeakGuard.Core.CredentialFiles;

/// <summary>The password in a URL's user information (<c>https://user:password@host/…</c>).
/// The user may hold an unencoded <c>@</c> (<c>jane@example.com:pw@host</c>, as people write
/// them into <c>.git-credentials</c>): the host follows the last <c>@</c> of the authority.</summary>
internal static class UrlCredentials
{
    /// <returns>Where the password's text is in <paramref name="text"/>, or null.</returns>
    public static (int Start, int Length)? Password(string text, int start, int length)
    {
        int scheme = text.IndexOf("://", start, length, StringComparison.Ordinal);
        if (scheme < 0)
        {
            return null;
        }
        int authority = scheme + 3, end = start + length;
        int slash = text.IndexOfAny(['/', '?', '#', ' ', '"', '\''], authority, end - authority);
        int authorityEnd = slash < 0 ? end : slash;
        int at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authority);
        if (at < 0)
        {
            return null;
        }
        int colon = text.IndexOf(':', authority, at - authority);
        return colon < 0 || colon + 1 == at ? null : (colon + 1, at - colon - 1);
    }
}
