namespace LeakGuard.Core.CredentialFiles;

/// <summary>A copy of <c>/etc/shadow</c> (<c>shadow</c>, <c>shadow-</c>, <c>shadow.bak</c>):
/// <c>user:hash:…</c>. Each hash (yescrypt <c>$y$</c>, SHA-crypt <c>$6$</c>, bcrypt, DES) can be
/// cracked offline; a locked or empty field (<c>*</c>, <c>!</c>, <c>!!</c>) holds none.</summary>
internal sealed class ShadowParser : ICredentialFileParser
{
    public string Name => "shadow";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        string text = file.Latin1;
        foreach (var (start, length) in file.Lines())
        {
            int first = text.IndexOf(':', start, length);
            if (first < 0)
            {
                continue;
            }
            int second = text.IndexOf(':', first + 1, start + length - first - 1);
            int end = second < 0 ? start + length : second;
            int hash = first + 1;
            if (end - hash >= 13 && text[hash] is not ('*' or '!'))
            {
                found.Add(file.At(hash, end - hash));
            }
        }
        return null;
    }
}
