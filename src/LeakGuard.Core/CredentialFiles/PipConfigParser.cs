namespace LeakGuard.Core.CredentialFiles;

/// <summary>pip's <c>pip.conf</c> / <c>pip.ini</c> and twine's <c>.pypirc</c>: a <c>password</c>,
/// and the password in the user information of an index URL
/// (<c>index-url = https://user:password@pypi.example.com/simple</c>).</summary>
internal sealed class PipConfigParser : ICredentialFileParser
{
    public string Name => "pip-config";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (var entry in KeyValueLines.Read(file, "=:"))
        {
            if (entry.Key.Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(file.At(entry.ValueStart, entry.ValueLength));
            }
            else if (UrlCredentials.Password(file.Latin1, entry.ValueStart, entry.ValueLength) is { } password)
            {
                found.Add(new ParsedCredential(password.Start, password.Length, EncodedText.Url(file.Utf8(password.Start, password.Length))));
            }
        }
        return null;
    }
}
