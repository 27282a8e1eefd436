namespace LeakGuard.Core.CredentialFiles;

/// <summary>PostgreSQL's password file (<c>~/.pgpass</c>, <c>%APPDATA%\postgresql\pgpass.conf</c>):
/// <c>hostname:port:database:username:password</c> per line; <c>\:</c> and <c>\\</c> escape.</summary>
internal sealed class PgpassParser : ICredentialFileParser
{
    public string Name => "pgpass";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        string text = file.Latin1;
        foreach (var (start, length) in file.Lines())
        {
            if (length == 0 || text[start] == '#')
            {
                continue;
            }
            int end = start + length, fields = 0, i = start;
            for (; i < end && fields < 4; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == ':')
                {
                    fields++;
                }
            }
            if (fields == 4 && i < end)
            {
                string raw = file.Utf8(i, end - i);
                found.Add(new ParsedCredential(i, end - i, raw.Replace("\\:", ":", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)));
            }
        }
        return null;
    }
}
