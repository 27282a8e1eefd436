using System.Text;
using System.Text.RegularExpressions;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>A Windows Setup answer file (<c>unattend.xml</c>, <c>autounattend.xml</c>, the copies
/// Setup leaves under <c>Panther</c> and <c>sysprep</c>): each password element of the Unattended
/// Windows Setup Reference — <c>&lt;AdministratorPassword&gt;</c>, the <c>&lt;Password&gt;</c> of
/// <c>AutoLogon</c>, <c>LocalAccount</c>, <c>Credentials</c>, <c>DomainAdminPassword</c>… — with its
/// <c>&lt;Value&gt;</c> and <c>&lt;PlainText&gt;</c>, or a password written as the element's text
/// (UnattendedJoin's <c>Credentials/Password</c>, <c>MachinePassword</c>). When <c>PlainText</c> is
/// <c>false</c>, Windows System Image Manager has hidden the value: base64 of the UTF-16LE text of
/// the password followed by the element's name (<c>pw</c> under <c>&lt;Password&gt;</c> is
/// <c>cAB3AFAAYQBzAHMAdwBvAHIAZAA</c>, "pwPassword"), which is decoded. An empty value and
/// <c>*SENSITIVE*DATA*DELETED*</c>, what Windows writes over the values after setup, are not
/// credentials; a file without an <c>&lt;unattend</c> root is not an answer file and yields nothing.</summary>
internal sealed partial class WindowsAnswerFileParser : ICredentialFileParser
{
    /// <summary>What Windows Setup writes over the passwords of the answer files it keeps.</summary>
    private const string Deleted = "*SENSITIVE*DATA*DELETED*";

    /// <summary>The farthest a password element's closing tag is looked for.</summary>
    private const int MaxElement = 8 * 1024;

    public string Name => "windows-answer-file";

    public string? Parse(CredentialFileText file, List<ParsedCredential> found)
    {
        string text = file.Latin1;
        if (!text.Contains("<unattend", StringComparison.Ordinal))
        {
            return null;
        }
        foreach (Match open in PasswordElement().Matches(text))
        {
            if (open.Value.EndsWith("/>", StringComparison.Ordinal))
            {
                continue;
            }
            string name = open.Groups["name"].Value;
            int bodyStart = open.Index + open.Length;
            int close = text.IndexOf("</" + name + ">", bodyStart, Math.Min(MaxElement, text.Length - bodyStart), StringComparison.Ordinal);
            if (close < 0)
            {
                continue;
            }
            string body = text[bodyStart..close];
            // <Value> and <PlainText> inside, or the password as the element's own text.
            bool structured = body.Contains('<');
            int valueStart, valueLength;
            bool plainText = true;
            if (structured)
            {
                if (ValueElement().Match(body) is not { Success: true } value)
                {
                    continue;
                }
                valueStart = bodyStart + value.Groups["value"].Index;
                valueLength = value.Groups["value"].Length;
                plainText = PlainTextElement().Match(body) is not { Success: true } flag
                    || !flag.Groups["flag"].Value.Equals("false", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                valueStart = bodyStart;
                valueLength = body.Length;
            }
            // Blanks around the value are the file's layout, not the password's.
            while (valueLength > 0 && char.IsWhiteSpace(text[valueStart]))
            {
                valueStart++;
                valueLength--;
            }
            while (valueLength > 0 && char.IsWhiteSpace(text[valueStart + valueLength - 1]))
            {
                valueLength--;
            }
            if (valueLength == 0)
            {
                continue;
            }
            string raw = EncodedText.Xml(file.Utf8(valueStart, valueLength));
            // A flag element whose name ends in Password is not one.
            if (raw == Deleted || (!structured && raw.ToLowerInvariant() is "true" or "false"))
            {
                continue;
            }
            bool commented = file.InXmlComment(valueStart);
            if (!plainText && Hidden(raw, name) is { } password)
            {
                // A hidden empty password is the element's name alone.
                if (password.Length == 0)
                {
                    continue;
                }
                found.Add(new ParsedCredential(valueStart, valueLength, password, "base64", commented));
            }
            else
            {
                found.Add(new ParsedCredential(valueStart, valueLength, raw, Commented: commented));
            }
        }
        return null;
    }

    /// <summary>The password a hidden value holds: base64 of UTF-16LE "password" + the element's
    /// name (empty when the password is); null when the value is not that.</summary>
    private static string? Hidden(string value, string name)
    {
        if (value.Length > 16 * 1024)
        {
            return null;
        }
        var bytes = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.PadRight((value.Length + 3) / 4 * 4, '='), bytes, out int written) || written % 2 != 0)
        {
            return null;
        }
        string text;
        try
        {
            text = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return text.EndsWith(name, StringComparison.Ordinal) && !text.Any(char.IsControl)
            ? text[..^name.Length]
            : null;
    }

    [GeneratedRegex("""<(?<name>[A-Za-z]{0,40}Password)(?:\s[^<>]{0,300})?>""", RegexOptions.NonBacktracking)]
    private static partial Regex PasswordElement();

    [GeneratedRegex("""<Value>(?<value>[^<]{0,4096})</Value>""", RegexOptions.NonBacktracking)]
    private static partial Regex ValueElement();

    [GeneratedRegex("""<PlainText>\s{0,20}(?<flag>[A-Za-z]{1,10})\s{0,20}</PlainText>""", RegexOptions.NonBacktracking)]
    private static partial Regex PlainTextElement();
}
