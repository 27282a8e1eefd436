using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Precision;

/// <summary>
/// Gives a generic assignment match (<c>password = "…"</c>, a URL's password, an <c>_authToken</c>)
/// the confidence it earns from what it is, instead of trusting entropy alone: the value's shape,
/// the line it is on and the kind of file. Code, labels and placeholders are not secrets; literal
/// random-looking values in configuration are the ones worth a person's time.
/// </summary>
public static class AssignmentJudge
{
    /// <summary>Words that only stand in for a value: templates, generated docs, "put yours here".</summary>
    private static readonly string[] PlaceholderWords =
    [
        "example", "sample", "placeholder", "changeme", "change_me", "change-me", "dummy", "redacted", "your", "xxxx", "****",
        "replace_with", "replace-with", "replace_me", "insert_", "enter_", "_here",
    ];

    /// <summary>Default and example credentials that are a word and nothing else (<c>guest</c>,
    /// <c>password</c>): in code, docs and tests they are examples; in a configuration file they
    /// may well be the real, weak, credential, so there they keep the rule's confidence.</summary>
    private static readonly HashSet<string> DefaultWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "pwd", "secret", "token", "guest", "admin", "administrator", "root", "user", "username",
        "test", "testing", "demo", "qwerty", "letmein", "default", "foo", "bar", "foobar", "anonymous", "postgres", "mysql",
    };

    /// <summary>A line longer than this is minified code.</summary>
    private const int MinifiedLine = 1000;

    /// <summary>What a type check compares with (<c>typeof x.password == "string"</c>).</summary>
    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal)
    {
        "undefined", "string", "number", "boolean", "object", "function", "symbol", "bigint", "null", "true", "false", "none", "nil",
    };

    /// <returns>The confidence, or null when the value is not a secret at all.</returns>
    /// <param name="secretStart">Where the value starts; the key is before it on the line.</param>
    public static Confidence? Judge(Rule rule, string memberPath, ReadOnlySpan<byte> content, int matchStart, int matchEnd,
        int secretStart, string secret)
    {
        string value = secret.Trim();
        if (value.Length == 0 || TypeNames.Contains(value.ToLowerInvariant()) || IsEmailAddress(value) || IsReference(value))
        {
            return null;
        }
        if (IsPlaceholder(value) || PublishedExamples.Contains(value) || RepeatsTheKey(value, content[matchStart..secretStart], rule))
        {
            return Confidence.Low;
        }
        var confidence = rule.Confidence;
        var kind = FileKinds.Of(memberPath, content);
        var line = LineAround(content, matchStart, matchEnd);
        bool minified = line.Length > MinifiedLine;
        // In code a commented line is an example; in configuration it is often an old value.
        bool comment = !minified && kind == FileKind.SourceCode && (IsCommentLine(line) || InsideDocBlock(memberPath, content, matchStart));
        if (kind is FileKind.Documentation or FileKind.TestFixture || minified || comment)
        {
            confidence = Lower(confidence);
        }
        bool codeLike = IsCodeLike(value, rule);
        if (codeLike && kind is not (FileKind.Configuration or FileKind.Other))
        {
            return Confidence.Low;
        }
        if (!codeLike && kind == FileKind.Configuration && confidence == Confidence.Medium && LooksRandom(value))
        {
            return Confidence.High;
        }
        return confidence;
    }

    private static Confidence Lower(Confidence confidence) => confidence == Confidence.High ? Confidence.Medium : Confidence.Low;

    /// <summary>A template or a value that says "put yours here" (<c>${DB_PASSWORD}</c>,
    /// <c>{{ vault }}</c>, <c>&lt;token&gt;</c>, <c>my_adminPassword</c>, <c>YOUR_SECRET_KEY_HERE</c>),
    /// or one character over and over (<c>xxxxxxxx</c>).</summary>
    private static bool IsPlaceholder(string value)
    {
        string lower = value.ToLowerInvariant();
        if (lower.StartsWith("my_", StringComparison.Ordinal) || lower.StartsWith("my-", StringComparison.Ordinal)
            || lower.Contains("${", StringComparison.Ordinal) || lower.Contains("{{", StringComparison.Ordinal)
            || lower.Contains("%s", StringComparison.Ordinal) || (lower.StartsWith('<') && lower.EndsWith('>'))
            || value.Distinct().Count() <= 2)
        {
            return true;
        }
        foreach (string word in PlaceholderWords)
        {
            if (lower.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The value repeats a compound key (<c>"ResetPasswordPolicyId": "MyResetPasswordPolicyId"</c>,
    /// <c>rootPassword: my_rootPassword</c>): an identifier, not a credential. A bare key such as
    /// <c>password</c> is not compound: <c>password 'password'</c> is left to the rest.</summary>
    private static bool RepeatsTheKey(string value, ReadOnlySpan<byte> beforeValue, Rule rule)
    {
        string before = System.Text.Encoding.Latin1.GetString(beforeValue);
        string flatValue = Flatten(value);
        foreach (var token in before.Split([' ', '\t', '"', '\'', ':', '=', '>', '(', ',', '{', '[', ';', '$', '@'], StringSplitOptions.RemoveEmptyEntries))
        {
            string key = Flatten(token);
            bool compound = rule.Keywords.Any(k => key.Contains(k.ToLowerInvariant(), StringComparison.Ordinal) && key.Length > k.Length + 2);
            if (compound && flatValue.Contains(key, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static string Flatten(string text) => new([.. text.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

    /// <summary>A value shaped like code rather than like a credential someone chose: a label or
    /// identifier (<c>auth/wrong-password</c>, <c>WEAK_PASSWORD</c>), a default word, a keyboard
    /// run, or letters only with the key's own name in them (<c>resetpassword</c>). A weak
    /// password with a digit or symbol (<c>Secret123</c>) is not code-like: it is a credential.</summary>
    private static bool IsCodeLike(string value, Rule rule)
    {
        string lower = value.ToLowerInvariant();
        if (IsLabel(value) || DefaultWords.Contains(value) || IsSequence(lower))
        {
            return true;
        }
        return value.All(char.IsAsciiLetter)
            && rule.Keywords.Any(k => k.Length >= 3 && lower.Contains(k.ToLowerInvariant(), StringComparison.Ordinal));
    }
    /// <summary>Identifier and label shapes: letters only, and either words joined by separators
    /// (<c>identitytoolkit#ResetPasswordResponse</c>, <c>auth/weak-password</c>), all capitals
    /// (<c>EMAIL_SIGNIN</c>) or camel case (<c>signInWithPassword</c>). A single lower-case word
    /// (<c>kestrel</c>) may be a weak password and is left to the entropy minimum.</summary>
    private static bool IsLabel(string value)
    {
        bool separated = false, lower = false, upper = false, camel = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
                camel |= i > 0 && char.IsAsciiLetterLower(value[i - 1]);
            }
            else if (c is '_' or '-' or '/' or '#' or '.' or ':' or ' ')
            {
                separated = true;
            }
            else
            {
                return false;
            }
        }
        return (lower || upper) && (separated || camel || !lower);
    }

    /// <summary>A dotted member access or path (<c>data.accessToken</c>, <c>process.env.TOKEN</c>,
    /// <c>this.config.password</c>): code, not a literal.</summary>
    private static bool IsReference(string value)
    {
        if (value.StartsWith("this.", StringComparison.Ordinal) || value.StartsWith("self.", StringComparison.Ordinal)
            || value.StartsWith("process.env", StringComparison.Ordinal) || value.StartsWith("os.environ", StringComparison.Ordinal))
        {
            return true;
        }
        string[] parts = value.Split('.');
        return parts.Length >= 2 && parts.All(p => p.Length > 0 && (char.IsAsciiLetter(p[0]) || p[0] == '_') && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$'))
            && parts.Skip(1).All(p => !p.All(char.IsAsciiDigit));
    }

    private static bool IsEmailAddress(string value)
    {
        int at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.Contains(':', StringComparison.Ordinal)
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '_' or '-' or '+');
    }

    private static bool IsSequence(string lower)
    {
        const string runs = "0123456789abcdefghijklmnopqrstuvwxyz qwertyuiop asdfghjkl zxcvbnm 9876543210";
        string core = new([.. lower.Where(char.IsAsciiLetterOrDigit)]);
        return core.Length >= 6 && runs.Contains(core, StringComparison.Ordinal);
    }

    /// <summary>At least three of lower case, upper case, digits and symbols, or two with 16+ characters.</summary>
    private static bool LooksRandom(string value)
    {
        int classes = (value.Any(char.IsAsciiLetterLower) ? 1 : 0) + (value.Any(char.IsAsciiLetterUpper) ? 1 : 0)
            + (value.Any(char.IsAsciiDigit) ? 1 : 0) + (value.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        return classes >= 3 || (classes == 2 && value.Length >= 16);
    }

    /// <summary>The line around a match, cut at <see cref="MinifiedLine"/> + 1 bytes on either side:
    /// a line that long is minified whatever else it holds, and a 100 MB line must not cost 100 MB
    /// per match.</summary>
    private static ReadOnlySpan<byte> LineAround(ReadOnlySpan<byte> content, int start, int end)
    {
        int from = Math.Max(0, start - MinifiedLine - 1);
        int back = content[from..start].LastIndexOf((byte)'\n');
        from = back < 0 ? from : from + back + 1;
        int to = (int)Math.Min(content.Length, (long)end + MinifiedLine + 1);
        int ahead = content[end..to].IndexOf((byte)'\n');
        return content[from..(ahead < 0 ? to : end + ahead)];
    }

    /// <summary>The match is inside a block comment (<c>/* … */</c>, whose lines need not start
    /// with <c>*</c>) or, in Python, a triple-quoted string: a docstring's usage example.</summary>
    private static bool InsideDocBlock(string path, ReadOnlySpan<byte> content, int position)
    {
        var before = content[..position];
        if (path.EndsWith(".py", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pyi", StringComparison.OrdinalIgnoreCase))
        {
            return (before.Count("\"\"\""u8) + before.Count("'''"u8)) % 2 == 1;
        }
        // Only a /* that opens its line: "text/*" in a string opens nothing.
        for (int end = before.Length; end > 0;)
        {
            int open = before[..end].LastIndexOf("/*"u8);
            if (open < 0)
            {
                return false;
            }
            int lineStart = before[..open].LastIndexOf((byte)'\n') + 1;
            if (before[lineStart..open].Trim(" \t"u8).IsEmpty)
            {
                return before[open..].IndexOf("*/"u8) < 0;
            }
            end = open;
        }
        return false;
    }

    /// <summary>The line is a comment in most languages: <c>//</c>, <c>#</c>, <c>*</c> (inside a block
    /// comment), <c>/*</c>, <c>&lt;!--</c>, <c>--</c>, <c>;</c>, <c>REM</c>.</summary>
    private static bool IsCommentLine(ReadOnlySpan<byte> line)
    {
        var text = line.TrimStart(" \t"u8);
        return text.StartsWith("//"u8) || text.StartsWith("#"u8) || text.StartsWith("*"u8) || text.StartsWith("/*"u8)
            || text.StartsWith("<!--"u8) || text.StartsWith("--"u8) || text.StartsWith(";"u8) || text.StartsWith("REM "u8);
    }
}
