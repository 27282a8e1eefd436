namespace LeakGuard.Core.CredentialFiles;

/// <summary>Editor upload configurations: Sublime SFTP's <c>sftp-config.json</c> (with comments),
/// VS Code SFTP's <c>.vscode/sftp.json</c>, Atom's <c>.ftpconfig</c>: the <c>password</c>
/// (<c>pass</c>) and a key's <c>passphrase</c>.</summary>
internal sealed class SftpConfigParser : ICredentialFileParser
{
    public string Name => "sftp-config";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found) => JsonStrings.Read(file, value =>
    {
        if (value.Name is "password" or "pass" or "passphrase")
        {
            found.Add(new ParsedCredential(value.Start, value.Length, value.Value));
        }
    });
}
