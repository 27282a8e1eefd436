namespace LeakGuard.Core.CredentialFiles;

/// <summary>npm's <c>.npmrc</c>: <c>_authToken</c>, <c>_auth</c> (base64 of <c>user:password</c>)
/// and <c>_password</c> (base64 of the password), alone or scoped to a registry
/// (<c>//registry.example.com/:_password=…</c>).</summary>
internal sealed class NpmrcParser : ICredentialFileParser
{
    public string Name => "npmrc";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (var entry in KeyValueLines.Read(file))
        {
            string name = entry.Key[(entry.Key.LastIndexOf(':') + 1)..];
            string raw = file.Utf8(entry.ValueStart, entry.ValueLength);
            switch (name)
            {
                case "_authToken":
                    found.Add(new ParsedCredential(entry.ValueStart, entry.ValueLength, raw));
                    break;
                case "_auth" when EncodedText.Base64(raw) is { } pair && EncodedText.PasswordOf(pair) is { Length: > 0 } password:
                    found.Add(new ParsedCredential(entry.ValueStart, entry.ValueLength, password, "base64"));
                    break;
                case "_password" when EncodedText.Base64(raw) is { Length: > 0 } decoded:
                    found.Add(new ParsedCredential(entry.ValueStart, entry.ValueLength, decoded, "base64"));
                    break;
            }
        }
        return null;
    }
}
