namespace LeakGuard.Core.CredentialFiles;

/// <summary><c>git credential-store</c>'s file (<c>~/.git-credentials</c>,
/// <c>~/.config/git/credentials</c>): one URL per line, <c>https://user:password@host</c>, the
/// password percent-encoded. People who write the file by hand leave an <c>@</c> in the user.</summary>
internal sealed class GitCredentialsParser : ICredentialFileParser
{
    public string Name => "git-credentials";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (var (start, length) in file.Lines())
        {
            if (UrlCredentials.Password(file.Latin1, start, length) is { } password)
            {
                found.Add(new ParsedCredential(password.Start, password.Length, EncodedText.Url(file.Utf8(password.Start, password.Length))));
            }
        }
        return null;
    }
}
