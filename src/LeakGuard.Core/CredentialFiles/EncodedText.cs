using System.Net;
using System.Text;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>Decodings credential files use: base64 (Docker's <c>auth</c>, npm's <c>_auth</c>,
/// FileZilla), XML character references, URL percent-encoding.</summary>
internal static class EncodedText
{
    /// <summary>Base64 that decodes to printable UTF-8 text (one trailing line break dropped); null otherwise.</summary>
    public static string? Base64(string value)
    {
        string trimmed = value.Trim();
        if (trimmed.Length == 0 || trimmed.Length > 64 * 1024)
        {
            return null;
        }
        var bytes = new byte[trimmed.Length];
        if (!Convert.TryFromBase64String(trimmed.PadRight((trimmed.Length + 3) / 4 * 4, '='), bytes, out int written) || written == 0)
        {
            return null;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        // `echo secret | base64` encodes the line break after the secret too: not part of it.
        text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        return text.Length > 0 && text.All(c => !char.IsControl(c)) ? text : null;
    }

    /// <summary>The password of <c>user:password</c>; null when there is no colon.</summary>
    public static string? PasswordOf(string userColonPassword)
    {
        int colon = userColonPassword.IndexOf(':');
        return colon < 0 ? null : userColonPassword[(colon + 1)..];
    }

    public static string Xml(string value) => WebUtility.HtmlDecode(value);

    public static string Url(string value) => WebUtility.UrlDecode(value.Replace("+", "%2B", StringComparison.Ordinal));
}
