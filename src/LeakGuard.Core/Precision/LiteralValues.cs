namespace LeakGuard.Core.Precision;

/// <summary>
/// The shapes of values that sit where a secret would and are not one: references to where the
/// secret really is (<c>${DB_PASSWORD}</c>, <c>%(key)s</c>, <c>env('X')</c>, <c>vault:…</c>),
/// encrypted values, booleans, numbers, type names, e-mail addresses; and placeholders that say
/// "put yours here". Used by the assignment judge and by the credential-file parsers.
/// </summary>
public static partial class LiteralValues
{
    /// <summary>Words that only stand in for a value: templates, generated docs, "put yours here".</summary>
    private static readonly string[] PlaceholderWords =
    [
        "example", "sample", "placeholder", "changeme", "change_me", "change-me", "dummy", "fake", "redacted", "your", "xxxx", "****",
        "replace_with", "replace-with", "replace_me", "insert_", "enter_", "_here",
    ];

    /// <summary>What a type check compares with (<c>typeof x.password == "string"</c>), and values
    /// that say a setting is on, off or unset.</summary>
    private static readonly HashSet<string> NonValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "undefined", "string", "number", "boolean", "object", "function", "symbol", "bigint", "null", "true", "false", "none", "nil",
        "yes", "no", "on", "off", "empty", "~", "todo", "tbd", "n/a",
        // Declarations of types (Pascal's Passwd = record, Token = class).
        "record", "class", "struct", "enum", "interface",
        // Perl's and metaconfig's Configure answers (d_pwpasswd='define').
        "define", "undef",
    };

    /// <summary>Where a value says the secret is kept instead of holding it.</summary>
    private static readonly string[] StorePrefixes =
    [
        "vault:", "op://", "secretsmanager:", "ssm:", "arn:aws:secretsmanager:", "arn:aws:ssm:", "azurekeyvault:", "keyvault:", "sm://",
        "gcp-secret:", "secret://", "file:", "env:", "environment:",
    ];

    /// <summary>Calls and expressions that read the value from elsewhere.</summary>
    private static readonly string[] Lookups =
    [
        "env(", "getenv(", "env[", "env.fetch", "environ[", "environ.get(", "system.getenv", "getenvironmentvariable", "lookup(",
        "secrets.", "credentials.dig", "process.env", "os.environ",
    ];

    /// <summary>configparser's and Python's <c>%(name)s</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"%\([A-Za-z0-9_.\-]{1,64}\)[sdfir]")]
    private static partial System.Text.RegularExpressions.Regex PythonInterpolation();

    /// <summary>Markers of an encrypted value (Jasypt, SOPS, Ansible Vault, Spring Cloud Config, Vault transit).</summary>
    private static readonly string[] EncryptedMarkers = ["enc(", "enc[", "!vault", "$ansible_vault", "{cipher}", "vault:v1:"];

    /// <summary>Not a secret at all: empty, a boolean or type name, a manual's choices, a call, a word
    /// of prose, a number, an e-mail address, a reference to a variable, an environment lookup or a
    /// secret store, an encrypted value.</summary>
    public static bool IsNotASecret(string value)
    {
        string v = value.Trim();
        return v.Length == 0 || NonValues.Contains(v) || IsChoice(v) || IsCall(v) || IsProseWord(v) || IsNumber(v) || IsVersion(v)
            || IsEmailAddress(v) || IsHostName(v) || IsReference(v) || IsEncrypted(v);
    }

    /// <summary>The choices a manual lists for a setting (<c>on/off</c>, <c>yes|no</c>).</summary>
    private static bool IsChoice(string value) =>
        value.IndexOfAny(['/', '|']) > 0 && value.Split('/', '|').All(NonValues.Contains);

    /// <summary>A function being called (<c>keyctl(KEYCTL_GET_KEYRING_ID,</c>, <c>FourCharCode('toke')</c>,
    /// <c>getpass()</c>): the value is computed. A digit after the parenthesis (<c>Secret(123)</c>) reads as a password.</summary>
    public static bool IsCall(string value) => CallExpression().IsMatch(value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.]{2,}\((?:[A-Za-z_""'$)]|$)")]
    private static partial System.Text.RegularExpressions.Regex CallExpression();

    /// <summary>A name in braces, as a manual writes what goes there (<c>{password}</c>, <c>{user-id}</c>).</summary>
    private static bool IsBracedName(string value)
    {
        string v = value.Trim('"', '\'');
        return v.Length > 2 && v[0] == '{' && v[^1] == '}' && v[1..^1].All(c => char.IsAsciiLetter(c) || c is '_' or '-' or ' ');
    }

    /// <summary>A value with a part left out (<c>MIIE…CxDR...fvY4+te</c>): a documentation excerpt.</summary>
    public static bool IsElided(string value) => value.Contains("...", StringComparison.Ordinal) || value.Contains('\u2026');

    /// <summary>Words of prose and manuals that follow an option's name where its value would
    /// (<c>--password flags</c>, <c>-passin arg</c>, <c>--http-password and</c>): lower case, one word.</summary>
    private static readonly HashSet<string> ProseWords = new(StringComparer.Ordinal)
    {
        "arg", "args", "argument", "arguments", "flag", "flags", "option", "options", "command", "commands", "switch", "switches",
        "parameter", "parameters", "setting", "settings", "field", "fields", "prompt", "respectively", "instead", "only", "also",
    };

    public static bool IsProseWord(string value)
    {
        string word = value.TrimEnd(',', '.', ';', ':', ')');
        return CommonWords.Contains(word) || ProseWords.Contains(word);
    }

    /// <summary>A version number (<c>7.9.0-rc.42413</c>, <c>v2.1.0</c>): what a dependency map holds.</summary>
    public static bool IsVersion(string value)
    {
        string v = value.StartsWith('v') || value.StartsWith('^') || value.StartsWith('~') ? value[1..] : value;
        int dash = v.IndexOfAny(['-', '+']);
        string core = dash < 0 ? v : v[..dash];
        string[] parts = core.Split('.');
        return parts.Length >= 2 && parts.All(p => p.Length is > 0 and <= 9 && p.All(char.IsAsciiDigit));
    }

    /// <summary>A DNS name (<c>db.acme.internal</c>, an OAuth client id ending in
    /// <c>.apps.googleusercontent.com</c>): lower-case labels, the last one letters only.</summary>
    public static bool IsHostName(string value)
    {
        string[] labels = value.Split('.');
        return labels.Length >= 3 && labels.All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            && labels[^1].Length is >= 2 and <= 12 && labels[^1].All(char.IsAsciiLetterLower);
    }

    /// <summary>Prefixes of keys their providers document as public, made to ship in web pages
    /// and apps: Stripe publishable keys, Mapbox public tokens, PostHog project keys.</summary>
    private static readonly string[] PublicByDesign = ["pk_live_", "pk_test_", "pk.eyj", "phc_"];

    /// <summary>A key its provider publishes by design (<see cref="PublicByDesign"/>).</summary>
    public static bool IsPublicByDesign(string value) =>
        PublicByDesign.Any(prefix => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Digits only (with separators): a port, a length, a timeout, an account number.</summary>
    public static bool IsNumber(string value) =>
        (value.Any(char.IsAsciiDigit) && value.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or '_' or ',' or '+')) || IsHexLiteral(value);

    /// <summary>A C-style hexadecimal literal with an optional type suffix (<c>0x803100AC</c>, <c>0x0020L</c>):
    /// an error code or flag, not a key (those are written without the <c>0x</c>).</summary>
    private static bool IsHexLiteral(string value)
    {
        string v = value.TrimEnd('u', 'U', 'l', 'L');
        return v.Length is > 2 and <= 18 && (v.StartsWith("0x", StringComparison.Ordinal) || v.StartsWith("0X", StringComparison.Ordinal))
            && v[2..].All(char.IsAsciiHexDigit);
    }

    /// <summary>A reference rather than a literal: a variable, lookup or secret store
    /// (<see cref="IsVariable"/>), or a dotted member access (<c>data.accessToken</c>, <c>var.db_password</c>).</summary>
    public static bool IsReference(string value) => IsVariable(value) || IsMemberAccess(value);

    /// <summary>A variable (<c>$DB_PASSWORD</c>, <c>$(cat …)</c>, <c>%DB_PASSWORD%</c>,
    /// <c>%(password)s</c>, <c>$env:X</c>), a lookup (<c>env('X')</c>, <c>os.environ[…]</c>) or a
    /// secret store (<c>vault:secret/db</c>, <c>op://…</c>): what a configuration file writes
    /// where the secret is kept elsewhere.</summary>
    public static bool IsVariable(string value)
    {
        string lower = value.ToLowerInvariant();
        if ((value.Length > 1 && value[0] == '$' && (value[1] is '{' or '(' or ':' || IsShellVariable(value)))
            || (value.Length > 2 && value[0] == '%' && value[^1] == '%')
            || PythonInterpolation().IsMatch(value))
        {
            return true;
        }
        foreach (string prefix in StorePrefixes)
        {
            if (lower.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        foreach (string lookup in Lookups)
        {
            if (lower.Contains(lookup, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><c>$NAME</c>, alone or followed by a path (<c>$HOME/.token</c>); not a crypt
    /// hash such as <c>$apr1$…</c>, whose name is followed by another <c>$</c>.</summary>
    private static bool IsShellVariable(string value)
    {
        int i = 1;
        while (i < value.Length && (char.IsAsciiLetterOrDigit(value[i]) || value[i] == '_'))
        {
            i++;
        }
        return i > 1 && !char.IsAsciiDigit(value[1]) && (i == value.Length || value[i] != '$');
    }

    /// <summary>Code reading a member (<c>this.config.password</c>, <c>data.accessToken</c>):
    /// dotted names, each short (a JWT's base64url parts are not names).</summary>
    private static bool IsMemberAccess(string value)
    {
        if (value.StartsWith("this.", StringComparison.Ordinal) || value.StartsWith("self.", StringComparison.Ordinal))
        {
            return true;
        }
        string[] parts = value.Split('.');
        return parts.Length >= 2 && parts.All(p => p.Length is > 0 and <= 40 && (char.IsAsciiLetter(p[0]) || p[0] == '_') && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$'))
            && parts.Skip(1).All(p => !p.All(char.IsAsciiDigit));
    }

    public static bool IsEncrypted(string value)
    {
        string lower = value.ToLowerInvariant();
        return EncryptedMarkers.Any(marker => lower.StartsWith(marker, StringComparison.Ordinal));
    }

    /// <summary>A template or a value that says "put yours here" (<c>${DB_PASSWORD}</c>,
    /// <c>{{ vault }}</c>, <c>&lt;token&gt;</c>, <c>my_adminPassword</c>, <c>YOUR_SECRET_KEY_HERE</c>),
    /// a shortened one (<c>sk-...</c>), one character over and over (<c>xxxxxxxx</c>,
    /// <c>xoxb-0000000000-000000…</c>), a value with seven keys in a row in it
    /// (<c>abcdefg12346</c>, <c>a1b2c3d4</c>): nobody's real key holds one.</summary>
    /// <param name="chosenPassword">The value is a password a person chose (a URL's password, a
    /// password key's value): a keyboard run with symbols in it (<c>Zxcvbnm@12345)</c>) is then a
    /// weak real password, made to pass a complexity rule, not a placeholder.</param>
    /// <param name="inConfiguration">The value sits in a configuration or credential file, where a
    /// literal is what the program will use: a chosen password that merely contains an
    /// illustrative word (<c>dummy-pass</c>, <c>ExamplePas123</c>) is then a weak real password;
    /// only the word alone (<c>example</c>) still says "put yours here".</param>
    public static bool IsPlaceholder(string value, bool chosenPassword = false, bool inConfiguration = false)
    {
        string lower = value.ToLowerInvariant();
        bool run = HasRun(lower, 7) && !(chosenPassword && value.Any(c => !char.IsAsciiLetterOrDigit(c)));
        if (lower.StartsWith("my_", StringComparison.Ordinal) || lower.StartsWith("my-", StringComparison.Ordinal)
            || lower.Contains("${", StringComparison.Ordinal) || lower.Contains("{{", StringComparison.Ordinal)
            || lower.Contains("%s", StringComparison.Ordinal) || (lower.StartsWith('<') && lower.EndsWith('>')) || IsBracedName(lower)
            || IsElided(lower) || lower.Contains("a1b2c3d4", StringComparison.Ordinal) || lower.Contains("1a2b3c4d", StringComparison.Ordinal)
            || value.Distinct().Count() <= 2 || run || MostlyOneCharacter(lower))
        {
            return true;
        }
        bool wordAloneOnly = chosenPassword && inConfiguration;
        foreach (string word in PlaceholderWords)
        {
            if (lower.Contains(word, StringComparison.Ordinal)
                && !(wordAloneOnly && IllustrativeWords.Contains(word) && !IsOnly(lower, word)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Placeholder words that people also build weak real passwords from
    /// (<c>dummy-pass</c>, <c>Sample2024!</c>), unlike <c>changeme</c> or <c>your…</c>, which only
    /// ever ask for a value.</summary>
    private static readonly HashSet<string> IllustrativeWords = new(StringComparer.Ordinal) { "example", "sample", "dummy", "fake" };

    /// <summary>The value is <paramref name="word"/> and nothing but punctuation around it.</summary>
    private static bool IsOnly(string lower, string word) =>
        lower.Trim(['_', '-', '.', ' ', '*', '#', '"', '\'']) == word;

    public static bool IsEmailAddress(string value)
    {
        int at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.Contains(':', StringComparison.Ordinal)
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '_' or '-' or '+');
    }

    /// <summary>Words that messages, labels and help texts are made of, and passphrases are not.</summary>
    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "to", "of", "is", "are", "be", "been", "must", "not", "no", "your", "you", "my", "for", "and", "or",
        "with", "in", "on", "by", "from", "this", "that", "it", "use", "used", "enter", "please", "will", "can", "should",
        "set", "new", "old", "current", "confirm", "here", "value", "required", "invalid", "wrong", "at", "as", "if",
    };

    /// <summary>Words that name a secret: a value that uses them describes one (<c>display the password</c>).</summary>
    private static readonly string[] SecretWords = ["pass", "pwd", "secret", "token", "key", "credential"];

    /// <summary>A value with spaces that reads as a passphrase someone chose (<c>open sesame</c>,
    /// <c>correct horse battery staple</c>) rather than as a message or label under a password key
    /// (<c>The password must be…</c>, <c>Mot de passe</c>, <c>not set</c>): two to five lower-case
    /// words, none of them a common word or one that names a secret, no closing punctuation.</summary>
    public static bool IsPassphrase(string value)
    {
        string[] words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length is >= 2 and <= 5 && !value.Any(char.IsUpper) && value[^1] is not ('.' or '!' or '?' or ':' or ',')
            && words.All(w => !CommonWords.Contains(w) && !SecretWords.Any(s => w.Contains(s, StringComparison.Ordinal)));
    }

    private const string Runs = "0123456789abcdefghijklmnopqrstuvwxyz qwertyuiop asdfghjkl zxcvbnm 9876543210";

    /// <summary>The value, without punctuation, is a keyboard or alphabet run (<c>123456</c>, <c>qwerty</c>).</summary>
    public static bool IsSequence(string lower)
    {
        string core = new([.. lower.Where(char.IsAsciiLetterOrDigit)]);
        return core.Length >= 6 && Runs.Contains(core, StringComparison.Ordinal);
    }

    /// <summary>The value holds <paramref name="length"/> consecutive characters of a keyboard or alphabet run.</summary>
    private static bool HasRun(string lower, int length)
    {
        for (int i = 0; i + length <= lower.Length; i++)
        {
            if (char.IsAsciiLetterOrDigit(lower[i]) && Runs.Contains(lower.AsSpan(i, length), StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A <c>$name</c> or <c>${…}</c> inside the value, as shells, .env loaders and PHP
    /// expand it in unquoted and double-quoted strings (<c>super$ecret</c>).</summary>
    public static bool Interpolates(string value)
    {
        for (int i = value.IndexOf('$'); i >= 0 && i + 1 < value.Length; i = value.IndexOf('$', i + 1))
        {
            if (char.IsAsciiLetter(value[i + 1]) || value[i + 1] is '{' or '_')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Half the value or more is one character (<c>xoxb-0000000000-000000…</c>).</summary>
    private static bool MostlyOneCharacter(string value) =>
        value.Length >= 8 && value.GroupBy(c => c).Max(g => g.Count()) * 2 >= value.Length;

    /// <summary>At least three of lower case, upper case, digits and symbols, or two with 16+ characters.</summary>
    public static bool LooksRandom(string value)
    {
        int classes = (value.Any(char.IsAsciiLetterLower) ? 1 : 0) + (value.Any(char.IsAsciiLetterUpper) ? 1 : 0)
            + (value.Any(char.IsAsciiDigit) ? 1 : 0) + (value.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        return classes >= 3 || (classes == 2 && value.Length >= 16);
    }
}
