namespace LeakGuard.Core.CredentialFiles;

/// <summary>A YAML file whose format names the keys that hold secrets: kubeconfig's users
/// (<c>token</c>, <c>password</c>, <c>client-key-data</c>, an auth provider's tokens and client
/// secret), GitHub CLI's <c>hosts.yml</c>. Each value under one of those keys is a credential.</summary>
internal sealed class YamlKeysParser(string name, params string[] keys) : ICredentialFileParser
{
    private readonly HashSet<string> _keys = new(keys, StringComparer.Ordinal);

    public string Name => name;

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        foreach (var entry in KeyValueLines.Read(file, ":", yamlComments: true))
        {
            if (_keys.Contains(entry.Key))
            {
                found.Add(file.At(entry.ValueStart, entry.ValueLength));
            }
        }
        return null;
    }
}
