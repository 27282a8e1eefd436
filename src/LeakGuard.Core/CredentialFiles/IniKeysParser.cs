namespace LeakGuard.Core.CredentialFiles;

/// <summary>An INI-style file whose format names the keys that hold secrets: s3cmd's
/// <c>.s3cfg</c>, the AWS CLI's <c>credentials</c> and <c>config</c>, <c>rclone.conf</c>, Cargo's
/// <c>credentials.toml</c>. Each value under one of those keys, in any section, is a credential.</summary>
internal sealed class IniKeysParser(string name, string separators, params string[] keys) : ICredentialFileParser
{
    private readonly HashSet<string> _keys = new(keys, StringComparer.OrdinalIgnoreCase);

    public string Name => name;

    /// <summary>Schemes written before a token that are not part of it (Cargo: <c>token = "Bearer …"</c>).</summary>
    private static readonly string[] Schemes = ["Bearer ", "bearer ", "Token ", "token "];

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (var entry in KeyValueLines.Read(file, separators))
        {
            if (!_keys.Contains(entry.Key))
            {
                continue;
            }
            int start = entry.ValueStart, length = entry.ValueLength;
            foreach (string scheme in Schemes)
            {
                if (length > scheme.Length && string.CompareOrdinal(file.Latin1, start, scheme, 0, scheme.Length) == 0)
                {
                    start += scheme.Length;
                    length -= scheme.Length;
                    break;
                }
            }
            found.Add(file.At(start, length));
        }
        return null;
    }
}
