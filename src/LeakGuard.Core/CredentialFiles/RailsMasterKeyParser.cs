namespace LeakGuard.Core.CredentialFiles;

/// <summary>Rails' <c>config/master.key</c> (and <c>config/credentials/&lt;env&gt;.key</c>): the
/// hex key (<c>SecureRandom.hex(16)</c>) that decrypts <c>credentials.yml.enc</c>, alone in the file.</summary>
internal sealed class RailsMasterKeyParser : ICredentialFileParser
{
    public string Name => "rails-master-key";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (var (start, length) in file.Lines())
        {
            string line = file.Latin1.Substring(start, length);
            string key = line.Trim();
            if (key.Length == 0)
            {
                continue;
            }
            if (key.Length is >= 32 and <= 128 && key.All(char.IsAsciiHexDigit))
            {
                found.Add(file.At(start + line.IndexOf(key, StringComparison.Ordinal), key.Length));
            }
            break;
        }
        return null;
    }
}
