using System.Text.RegularExpressions;

namespace LeakGuard.Core.CredentialFiles;

/// <summary><c>NuGet.Config</c>: a package source's <c>ClearTextPassword</c> (as
/// <c>dotnet nuget add source --store-password-in-clear-text</c> writes it). The DPAPI-encrypted
/// <c>Password</c> is not readable off the machine that wrote it and is not reported.</summary>
internal sealed partial class NuGetConfigParser : ICredentialFileParser
{
    public string Name => "nuget-config";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (Match add in ClearTextPassword().Matches(file.Latin1))
        {
            var value = add.Groups["value"];
            found.Add(new ParsedCredential(value.Index, value.Length, EncodedText.Xml(file.Utf8(value.Index, value.Length)), Commented: file.InXmlComment(value.Index)));
        }
        return null;
    }

    [GeneratedRegex("<add\\s{1,20}key\\s{0,5}=\\s{0,5}\"ClearTextPassword\"\\s{1,20}value\\s{0,5}=\\s{0,5}\"(?<value>[^\"]{1,4096})\"", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex ClearTextPassword();
}
