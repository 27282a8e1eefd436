using System.Text.RegularExpressions;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>FileZilla's <c>sitemanager.xml</c> and <c>recentservers.xml</c>: each server's
/// <c>&lt;Pass&gt;</c>, in plain text or <c>encoding="base64"</c>. A password protected by a
/// master password (<c>encoding="crypt"</c>) is not readable and not reported.</summary>
internal sealed partial class FileZillaParser : ICredentialFileParser
{
    public string Name => "filezilla";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (Match pass in PassElement().Matches(file.Latin1))
        {
            var value = pass.Groups["value"];
            string encoding = pass.Groups["encoding"].Value;
            string raw = file.Utf8(value.Index, value.Length);
            if (encoding.Length == 0 || encoding == "plain")
            {
                found.Add(new ParsedCredential(value.Index, value.Length, EncodedText.Xml(raw), Commented: file.InXmlComment(value.Index)));
            }
            else if (encoding == "base64" && EncodedText.Base64(raw) is { } decoded)
            {
                found.Add(new ParsedCredential(value.Index, value.Length, decoded, "base64", file.InXmlComment(value.Index)));
            }
        }
        return null;
    }

    [GeneratedRegex("""<Pass(?:\s+encoding="(?<encoding>[a-z0-9]{0,20})")?[^>]{0,200}>(?<value>[^<]{1,4096})</Pass>""", RegexOptions.NonBacktracking)]
    private static partial Regex PassElement();
}
