namespace LeakGuard.Core.CredentialFiles;

/// <summary>Yarn Berry's <c>.yarnrc.yml</c>: <c>npmAuthToken</c>, and <c>npmAuthIdent</c>, which
/// is <c>user:password</c> in plain text or base64.</summary>
internal sealed class YarnrcParser : ICredentialFileParser
{
    public string Name => "yarnrc";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (var entry in KeyValueLines.Read(file, ":", yamlComments: true))
        {
            string raw = file.Utf8(entry.ValueStart, entry.ValueLength);
            if (entry.Key == "npmAuthToken")
            {
                found.Add(new ParsedCredential(entry.ValueStart, entry.ValueLength, raw));
            }
            else if (entry.Key == "npmAuthIdent")
            {
                int colon = raw.IndexOf(':');
                if (colon >= 0 && colon + 1 < raw.Length)
                {
                    int offset = System.Text.Encoding.UTF8.GetByteCount(raw[..(colon + 1)]);
                    found.Add(new ParsedCredential(entry.ValueStart + offset, entry.ValueLength - offset, raw[(colon + 1)..]));
                }
                else if (EncodedText.Base64(raw) is { } decoded && EncodedText.PasswordOf(decoded) is { Length: > 0 } password)
                {
                    found.Add(new ParsedCredential(entry.ValueStart, entry.ValueLength, password, "base64"));
                }
            }
        }
        return null;
    }
}
