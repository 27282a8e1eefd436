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
    /// <summary>Default and example credentials that are a word and nothing else (<c>guest</c>,
    /// <c>password</c>): in code, docs and tests they are examples; in a configuration file they
    /// may well be the real, weak, credential, so there they keep the rule's confidence.</summary>
    private static readonly HashSet<string> DefaultWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "pwd", "secret", "token", "guest", "admin", "administrator", "root", "user", "username",
        "test", "testing", "demo", "qwerty", "letmein", "default", "foo", "bar", "foobar", "anonymous", "postgres", "mysql",
    };

    /// <summary>The tag of rules whose secret is a password a person chose (a URL's or a password
    /// key's value), weak or strong.</summary>
    public const string ChosenPasswordTag = "chosen-password";

    /// <summary>A line longer than this is minified code.</summary>
    private const int MinifiedLine = 1000;

    /// <summary>Values that say "this is a test": even in configuration, a test setting.</summary>
    private static readonly HashSet<string> TestWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "test", "testing", "tests", "tester", "demo", "foo", "bar", "foobar", "baz", "qux", "fake", "mock",
    };

    /// <returns>The confidence, or null when the value is not a secret at all.</returns>
    /// <param name="secretStart">Where the value starts; the key is before it on the line.</param>
    /// <param name="kind">What the file is (<see cref="FileKinds.Of(string, ReadOnlySpan{byte})"/> of the
    /// file itself, not of text decoded from it).</param>
    public static Confidence? Judge(Rule rule, FileKind kind, string memberPath, ReadOnlySpan<byte> content, int matchStart, int matchEnd,
        int secretStart, string secret)
    {
        string value = secret.Trim();
        if (LiteralValues.IsNotASecret(value) || TestResultLog.IsResultLine(content, secretStart) || IsCalled(content, secretStart, secret))
        {
            return null;
        }
        var before = content[matchStart..secretStart];
        // Words under a password key are a passphrase or a message (The password must be…).
        if (value.Contains(' ') && KeyNames.Find(System.Text.Encoding.Latin1.GetString(before)) is { } passwordKey
            && KeyNames.NamesPassword(passwordKey) && !LiteralValues.IsPassphrase(value))
        {
            return null;
        }
        // A quoted name with :: in it is a type's (CloudFormation's "AWS::ApiGateway::ApiKey"): what
        // is mapped to it is not that type's secret.
        if (NamesAType(LineBefore(content, secretStart)))
        {
            return null;
        }
        // A generic rule takes any key that names a secret; what the key says about the value
        // decides. A provider's or framework's rule knows its key (Laravel's APP_KEY is no app id).
        string? key = rule.IsGeneric ? KeyNames.Find(System.Text.Encoding.Latin1.GetString(before)) : null;
        // Keys that start with "aws" are left to the AWS rules, whose formats are fixed.
        if (key is not null && (KeyNames.NamesMetadata(key) || KeyNames.NamesPublicKey(key) || KeyNames.NamesAntiForgery(key) || LiteralValues.IsPublicByDesign(value)
            || key.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || NamesSetupPass(key, value)))
        {
            return null;
        }
        var line = LineAround(content, matchStart, matchEnd);
        if (rule.ConfigurationOnly && !CredentialContext.Holds(kind, memberPath, LineAround(content, secretStart, secretStart)))
        {
            return null;
        }
        bool chosenPassword = rule.Tags.Contains(ChosenPasswordTag) || (key is not null && KeyNames.NamesPassword(key));
        if (LiteralValues.IsPlaceholder(value, chosenPassword, kind == FileKind.Configuration) || PublishedExamples.Contains(value) || RepeatsTheKey(value, before)
            || TestWords.Contains(value) || RepeatsTheKeyInCapitals(value, before)
            || (kind is not (FileKind.Configuration or FileKind.Other) && IsSecretsName(value)) || EncryptedSection.Contains(content, secretStart)
            // Unquoted after '=', as in .env files and shell scripts, $name is expanded: not what the file says.
            || (After((byte)'=', content, secretStart) && LiteralValues.Interpolates(value)))
        {
            return Confidence.Low;
        }
        // A token, key or secret someone generated does not read as words (comment, bearer,
        // test-token): those are labels. A password may (kestrel).
        if (rule.ConfigurationOnly && key is not null && !KeyNames.NamesPassword(key)
            && (IsLabel(value) || (value.Length < 16 && value.All(char.IsAsciiLetter))))
        {
            return Confidence.Low;
        }
        var confidence = rule.Confidence;
        bool minified = line.Length > MinifiedLine;
        // In code a commented line is an example; in configuration it is often an old value.
        bool comment = !minified && kind == FileKind.SourceCode && (IsCommentLine(line) || InsideDocBlock(memberPath, content, matchStart));
        if (kind is FileKind.Documentation or FileKind.TestFixture || minified || comment)
        {
            confidence = Lower(confidence);
        }
        // In code, a bare word after a colon is a type (password: UTF8String) or a variable
        // ({password: pwd}): a literal there is quoted. Shell, PHP and batch files are left out:
        // there a bare word is the literal.
        if (kind == FileKind.SourceCode && key is not null && !comment && !CredentialContext.CanHold(kind, memberPath)
            && After((byte)':', content, secretStart))
        {
            return Confidence.Low;
        }
        bool codeLike = IsCodeLike(value, rule);
        // A commented-out default in a configuration file (# input_password = secret) documents the
        // setting; a commented random value may be an old real one and keeps its confidence.
        if (codeLike && (kind is not (FileKind.Configuration or FileKind.Other) || (!minified && IsCommentLine(line))))
        {
            return Confidence.Low;
        }
        if (!codeLike && kind == FileKind.Configuration && confidence == Confidence.Medium && LiteralValues.LooksRandom(value))
        {
            return Confidence.High;
        }
        return confidence;
    }

    /// <summary>The configuration passes of Windows Setup, which a Windows answer file's
    /// <c>&lt;settings pass="oobeSystem"&gt;</c> names.</summary>
    private static readonly HashSet<string> SetupPasses = new(StringComparer.Ordinal)
    {
        "windowsPE", "offlineServicing", "generalize", "specialize", "auditSystem", "auditUser", "oobeSystem",
    };

    /// <summary>A <c>pass</c> key whose value is a Windows Setup configuration pass: the pass a
    /// section of an answer file applies in, not a password.</summary>
    private static bool NamesSetupPass(string key, string value) =>
        key.Equals("pass", StringComparison.OrdinalIgnoreCase) && SetupPasses.Contains(value);

    /// <summary>The value is unquoted and directly follows <paramref name="separator"/> (<c>=</c>,
    /// <c>:</c>; spaces aside).</summary>
    private static bool After(byte separator, ReadOnlySpan<byte> content, int secretStart)
    {
        int i = secretStart - 1;
        while (i >= 0 && content[i] is (byte)' ' or (byte)'\t')
        {
            i--;
        }
        return i >= 0 && content[i] == separator;
    }

    /// <summary>The line up to <paramref name="position"/> (at most <see cref="MinifiedLine"/> bytes of it):
    /// a match may start after the key's opening quote.</summary>
    private static ReadOnlySpan<byte> LineBefore(ReadOnlySpan<byte> content, int position)
    {
        int from = Math.Max(0, position - MinifiedLine);
        int newline = content[from..position].LastIndexOf((byte)'\n');
        return content[(newline < 0 ? from : from + newline + 1)..position];
    }

    /// <summary>The value is a name that, with the member names after it, is called (<c>password =
    /// base64.b16encode(…)</c>): the call's result is the value, not the name the rule's value class stopped at.</summary>
    private static bool IsCalled(ReadOnlySpan<byte> content, int secretStart, string secret)
    {
        if (secret.Length == 0 || !(char.IsAsciiLetter(secret[0]) || secret[0] == '_') || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
        {
            return false;
        }
        // The rule's value may stop at a dot: base64 | .b16encode(…).
        int end = secretStart + System.Text.Encoding.UTF8.GetByteCount(secret);
        while (end < content.Length && (char.IsAsciiLetterOrDigit((char)content[end]) || content[end] is (byte)'_' or (byte)'.'))
        {
            end++;
        }
        return end < content.Length && content[end] == (byte)'(';
    }

    /// <summary>The key before the value is a quoted string with <c>::</c> in it.</summary>
    private static bool NamesAType(ReadOnlySpan<byte> before)
    {
        var key = before.TrimEnd("\"'`"u8).TrimEnd(" \t:=>,"u8);
        if (key.Length < 2 || key[^1] is not ((byte)'"' or (byte)'\''))
        {
            return false;
        }
        int open = key[..^1].LastIndexOf(key[^1]);
        return open >= 0 && key[(open + 1)..^1].IndexOf("::"u8) >= 0;
    }

    /// <summary>Capitals that repeat the key's secret word, as a template names what goes there
    /// (<c>password "PASSWORD"</c>, <c>token: API_TOKEN</c>): a placeholder, not a value. Capitals
    /// after a key that does not say what it takes (<c>-p PASSWORD</c>) are left to the rest.</summary>
    private static bool RepeatsTheKeyInCapitals(string value, ReadOnlySpan<byte> beforeValue)
    {
        string word = value.Trim('"', '\'');
        if (!word.Any(char.IsAsciiLetterUpper) || !word.All(c => char.IsAsciiLetterUpper(c) || c == '_')
            || KeyNames.Find(System.Text.Encoding.Latin1.GetString(beforeValue)) is not { } key)
        {
            return false;
        }
        var keyWords = KeyNames.Words(key);
        return keyWords.Count > 0 && Flatten(word).EndsWith(Flatten(keyWords[^1]), StringComparison.Ordinal);
    }

    private static readonly string[] NameWords = ["token", "key", "secret", "password", "passwd", "apikey", "auth"];

    /// <summary>A name made of lower-case words, one of them a secret word (<c>x-aws-ec2-metadata-token</c>,
    /// <c>github-deploy-key</c>): in code, what a header, a setting or a stored secret is called, not its
    /// value. In configuration (or a file of no known kind) such a value (<c>weak-token-1</c>) is the weak credential itself.</summary>
    private static bool IsSecretsName(string value)
    {
        string[] words = value.Split('-', '_', '.');
        return words.Length >= 3 && words.All(w => w.Length > 0 && w.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
            && words.Any(w => NameWords.Contains(w));
    }

    private static Confidence Lower(Confidence confidence) => confidence == Confidence.High ? Confidence.Medium : Confidence.Low;

    /// <summary>The value repeats a compound key (<c>"ResetPasswordPolicyId": "MyResetPasswordPolicyId"</c>,
    /// <c>rootPassword: my_rootPassword</c>): an identifier, not a credential. A key of one word
    /// such as <c>password</c> is not compound: <c>password 'password'</c> is left to the rest, and
    /// so is a value with digits in it (<c>kT9-storefront-jwt-Secret</c>), which someone made up
    /// as a secret.</summary>
    private static bool RepeatsTheKey(string value, ReadOnlySpan<byte> beforeValue)
    {
        if (value.Any(char.IsAsciiDigit))
        {
            return false;
        }
        string before = System.Text.Encoding.Latin1.GetString(beforeValue);
        string flatValue = Flatten(value);
        foreach (var token in before.Split([' ', '\t', '"', '\'', ':', '=', '>', '(', ',', '{', '[', ';', '$', '@'], StringSplitOptions.RemoveEmptyEntries))
        {
            bool compound = KeyNames.Words(token).Count >= 2 && KeyNames.Find(token) is not null;
            if (compound && flatValue.Contains(Flatten(token), StringComparison.Ordinal))
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
        // Where a URL's or a DSN's own syntax holds a password (user:…@host), a value shaped like
        // a label (Edge-MySQL-Pw) is still the password; a generic key's value may be a label.
        bool labelShapeCounts = rule.IsGeneric || !rule.Tags.Contains(ChosenPasswordTag);
        if ((labelShapeCounts && IsLabel(value)) || DefaultWords.Contains(value) || LiteralValues.IsSequence(lower))
        {
            return true;
        }
        return value.All(char.IsAsciiLetter)
            && rule.Keywords.Any(k => Flatten(k).Length >= 3 && lower.Contains(Flatten(k), StringComparison.Ordinal));
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
        // SQL's and Lua's -- comment, not a long option continuing a command (  --set db.password=…).
        return text.StartsWith("//"u8) || text.StartsWith("#"u8) || text.StartsWith("*"u8) || text.StartsWith("/*"u8)
            || text.StartsWith("<!--"u8) || (text.StartsWith("--"u8) && (text.Length == 2 || !char.IsAsciiLetter((char)text[2])))
            || text.StartsWith(";"u8) || text.StartsWith("REM "u8);
    }
}
