namespace LeakGuard.Core.CredentialFiles;

/// <summary>Firefox's saved logins (<c>logins.json</c> in a profile): each login's
/// <c>encryptedPassword</c>. It is encrypted with the profile's <c>key4.db</c>, which opens it
/// unless a primary password was set, so a copied profile gives the passwords away.</summary>
internal sealed class FirefoxLoginsParser : ICredentialFileParser
{
    public string Name => "firefox-logins";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found) => JsonStrings.Read(file, value =>
    {
        if (value.Path.Count == 2 && value.Path[0] == "logins" && value.Name == "encryptedPassword")
        {
            found.Add(new ParsedCredential(value.Start, value.Length, value.Value));
        }
    });
}
