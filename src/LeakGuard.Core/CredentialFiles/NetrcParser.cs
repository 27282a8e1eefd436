namespace LeakGuard.Core.CredentialFiles;

/// <summary><c>.netrc</c> / <c>_netrc</c>: <c>machine</c>, <c>login</c>, <c>password</c> and
/// <c>account</c> tokens, on one line or many. A <c>macdef</c> body (up to an empty line) is not
/// read, and anonymous FTP entries (login <c>anonymous</c> or <c>ftp</c>, whose password is by
/// convention an e-mail address) hold no secret.</summary>
internal sealed class NetrcParser : ICredentialFileParser
{
    public string Name => "netrc";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        string text = file.Latin1;
        string? login = null;
        (int Start, int Length)? password = null;
        string? expecting = null;
        bool inMacro = false;
        void Flush()
        {
            if (password is { } p && login is not ("anonymous" or "ftp"))
            {
                found.Add(file.At(p.Start, p.Length));
            }
            login = null;
            password = null;
        }
        foreach (var (start, length) in file.Lines())
        {
            if (inMacro)
            {
                inMacro = length > 0 && !string.IsNullOrWhiteSpace(text.Substring(start, length));
                continue;
            }
            int i = start, end = start + length;
            while (i < end)
            {
                while (i < end && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
                if (i == end || (text[i] == '#' && expecting is null))
                {
                    break;
                }
                int tokenStart = i;
                while (i < end && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
                string token = text[tokenStart..i];
                if (expecting is not null)
                {
                    if (expecting == "login")
                    {
                        login = token;
                    }
                    else if (expecting == "password")
                    {
                        password = (tokenStart, i - tokenStart);
                    }
                    expecting = null;
                    continue;
                }
                switch (token)
                {
                    case "machine" or "default":
                        Flush();
                        break;
                    case "login" or "password" or "account":
                        expecting = token;
                        break;
                    case "macdef":
                        Flush();
                        inMacro = true;
                        i = end;
                        break;
                }
            }
        }
        Flush();
        return null;
    }
}
