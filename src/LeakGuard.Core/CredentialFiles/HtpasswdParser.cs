namespace LeakGuard.Core.CredentialFiles;

/// <summary>Apache's <c>.htpasswd</c> (<c>user:hash</c>) and <c>.htdigest</c>
/// (<c>user:realm:hash</c>): each hash (bcrypt, <c>$apr1$</c>, <c>{SHA}</c>, crypt, or a plain
/// password written with <c>htpasswd -p</c>) can be cracked offline or replayed.</summary>
internal sealed class HtpasswdParser : ICredentialFileParser
{
    public string Name => "htpasswd";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        string text = file.Latin1;
        foreach (var (start, length) in file.Lines())
        {
            if (length == 0 || text[start] == '#')
            {
                continue;
            }
            int colon = text.LastIndexOf(':', start + length - 1, length);
            if (colon > start && colon + 1 < start + length)
            {
                found.Add(file.At(colon + 1, start + length - colon - 1));
            }
        }
        return null;
    }
}
