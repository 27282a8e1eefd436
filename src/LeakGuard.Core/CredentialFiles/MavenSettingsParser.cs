using System.Text.RegularExpressions;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>Maven's <c>settings.xml</c>: each server's or proxy's <c>&lt;password&gt;</c> and a
/// server's key <c>&lt;passphrase&gt;</c>. Passwords encrypted with the master password
/// (<c>{…}</c>) are not readable without <c>settings-security.xml</c> and are not reported; a
/// <c>settings.xml</c> that is not Maven's has no <c>&lt;settings</c> root and yields nothing.
/// Maven's own template ships its examples commented out; those are marked as such.</summary>
internal sealed partial class MavenSettingsParser : ICredentialFileParser
{
    public string Name => "maven-settings";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        if (!file.Latin1.Contains("<settings", StringComparison.Ordinal))
        {
            return null;
        }
        foreach (Match element in Secret().Matches(file.Latin1))
        {
            var value = element.Groups["value"];
            string raw = file.Utf8(value.Index, value.Length);
            if (!(raw.StartsWith('{') && raw.EndsWith('}')))
            {
                found.Add(new ParsedCredential(value.Index, value.Length, EncodedText.Xml(raw), Commented: file.InXmlComment(value.Index)));
            }
        }
        return null;
    }

    [GeneratedRegex("""<(?:password|passphrase)>\s{0,100}(?<value>[^<\s](?:[^<]{0,4094}[^<\s])?)\s{0,100}</(?:password|passphrase)>""", RegexOptions.NonBacktracking)]
    private static partial Regex Secret();
}
