namespace LeakGuard.Core.Precision;

/// <summary>
/// What the key a value is assigned to says about the value. <c>DB_PASSWORD</c> names a secret;
/// <c>PASSWORD_MIN_LENGTH</c>, <c>GITHUB_TOKEN_FILE</c>, <c>SECRET_NAME</c> and
/// <c>apiKeyHeaderName</c> name something about one (its length, where it is kept, what it is
/// called, how it is sent), so their values are not secrets. <c>RECAPTCHA_SITE_KEY</c> and
/// <c>PUSHER_APP_KEY</c> name keys that are public by design.
/// </summary>
public static class KeyNames
{
    /// <summary>Words that name a secret (<c>pass</c> in <c>IRC_PASS</c>, <c>pw</c> in <c>ldap_bind_pw</c>).</summary>
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "password", "passwords", "passwd", "pwd", "pass", "pw", "passphrase", "passcode", "secret", "secrets", "token", "tokens",
        "key", "keys", "apikey", "credential", "credentials", "creds", "salt", "auth",
        // A personal access token (GITHUB_PAT, AZURE_DEVOPS_PAT).
        "pat",
    };

    /// <summary>Run-together words that end in a secret word (<c>dbpasswd</c>, <c>accesstoken</c>, <c>clientsecret</c>).</summary>
    private static readonly string[] SecretSuffixes =
    [
        "password", "passwd", "passphrase", "secret", "token", "apikey", "secretkey", "privatekey", "accesskey", "credentials", "credential",
    ];

    /// <summary>Words that, after the secret word, make the key name something about the secret
    /// rather than the secret (<c>_FILE</c>, <c>_MIN_LENGTH</c>, <c>_TTL</c>, <c>Header</c>, <c>Id</c>,
    /// <c>_SHA</c>).</summary>
    private static readonly HashSet<string> MetadataWords = new(StringComparer.Ordinal)
    {
        "file", "files", "path", "paths", "dir", "dirs", "directory", "folder", "location", "name", "names", "id", "ids", "header",
        "headers", "url", "uri", "urls", "endpoint", "host", "type", "types", "kind", "length", "len", "size", "min", "max", "minimum",
        "maximum", "ttl", "seconds", "secs", "sec", "minutes", "mins", "hours", "days", "ms", "millis", "timeout", "expiry", "expires",
        "expiration", "expire", "exp", "lifetime", "age", "rotation", "rotate", "interval", "policy", "policies", "prompt", "label",
        "hint", "placeholder", "title", "text", "message", "msg", "description", "help", "question", "field", "fields", "param",
        "params", "parameter", "regex", "pattern", "format", "arn", "store", "sock", "socket", "var", "env", "variable", "command",
        "cmd", "helper", "ref", "source", "provider", "mode", "enabled", "enable", "disabled", "required", "count", "limit", "version",
        "strength", "algorithm", "alg", "method", "scheme", "encoding", "prefix", "route", "page", "reset", "confirm", "confirmation",
        "changed", "validator", "validators", "hasher", "hashers", "manager", "class", "handler", "sha", "commit", "revision", "rev",
        "digest", "checksum", "uuid", "index", "position", "offset", "column", "generator", "request", "response", "error",
    };

    /// <summary>Words before a bare <c>key</c> that make it a public identifier: reCAPTCHA and
    /// hCaptcha site keys, publishable keys, Application Insights instrumentation keys, search-only
    /// keys that search services hand to browsers, the app or consumer keys that OAuth
    /// providers, Pusher and Dropbox hand to clients, and Web Push's VAPID key (the application
    /// server's public key; its private key is a <c>VAPID_PRIVATE_KEY</c>).</summary>
    private static readonly HashSet<string> PublicKeyWords = new(StringComparer.Ordinal)
    {
        "public", "publishable", "pub", "site", "instrumentation", "search", "app", "consumer", "vapid",
    };

    /// <summary>The key in <paramref name="before"/> (the text of a match before its value): the
    /// last name-like token with a secret word in it; null when there is none.</summary>
    public static string? Find(string before)
    {
        int end = before.Length;
        while (end > 0)
        {
            while (end > 0 && !IsNameChar(before[end - 1]))
            {
                end--;
            }
            int start = end;
            while (start > 0 && IsNameChar(before[start - 1]))
            {
                start--;
            }
            if (start == end)
            {
                break;
            }
            string token = before[start..end];
            if (Words(token).Exists(IsSecretWord))
            {
                return token;
            }
            end = start;
        }
        return null;
    }

    /// <summary>The key names something about a secret, not the secret itself: a metadata word
    /// follows its last secret word (<c>PASSWORD_MIN_LENGTH</c>, <c>tokenExpiry</c>, <c>token_sha</c>),
    /// or <c>existing</c> precedes it (<c>existingSecret</c>: the Secret object that holds it).</summary>
    public static bool NamesMetadata(string key)
    {
        var words = Words(key);
        int last = words.FindLastIndex(IsSecretWord);
        // Helm charts' existingSecret / existingPasswordSecret: the name of a Kubernetes Secret that holds it.
        int existing = words.IndexOf("existing");
        if (existing >= 0 && existing < last)
        {
            return true;
        }
        for (int i = last + 1; i < words.Count; i++)
        {
            if (MetadataWords.Contains(words[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The key names a value public by design: it says public or publishable
    /// (<c>PUBLIC_POSTHOG_KEY</c>, .NET's <c>publicKeyToken</c>), or qualifies a bare <c>key</c>
    /// (<c>RECAPTCHA_SITE_KEY</c>, <c>InstrumentationKey</c>). The public-variable prefixes of
    /// front-end frameworks (<c>NEXT_PUBLIC_</c>, <c>EXPO_PUBLIC_</c>…) say the opposite: whatever
    /// follows them ships to every browser, secret or not.</summary>
    public static bool NamesPublicKey(string key)
    {
        var words = Words(key);
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i] is "public" or "publishable" && (i == 0 || words[i - 1] is not ("next" or "expo" or "nuxt" or "gatsby")))
            {
                return true;
            }
        }
        int last = words.FindLastIndex(IsSecretWord);
        return last > 0 && words[last] is "key" or "keys" && PublicKeyWords.Contains(words[last - 1]);
    }

    /// <summary>The key names an anti-forgery token (Rails' <c>authenticity_token</c>, Django's
    /// <c>csrfmiddlewaretoken</c>, ASP.NET's <c>__RequestVerificationToken</c>, <c>XSRF-TOKEN</c>): a
    /// per-session value every page hands to the browser in a hidden field or a cookie, not a secret
    /// the page's author holds.</summary>
    public static bool NamesAntiForgery(string key)
    {
        var words = Words(key);
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i] is "csrf" or "xsrf" or "csrftoken" or "xsrftoken" or "csrfmiddlewaretoken" or "authenticity" or "antiforgery"
                || (words[i] == "verification" && i > 0 && words[i - 1] == "request"))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The key names a password (as opposed to a token, key or other secret).</summary>
    public static bool NamesPassword(string key)
    {
        var words = Words(key);
        int last = words.FindLastIndex(IsSecretWord);
        return last >= 0 && IsPasswordWord(words[last]);
    }

    private static bool IsPasswordWord(string word) =>
        word is "password" or "passwords" or "passwd" or "pwd" or "pass" or "pw" or "passphrase" or "passcode"
        || (word.Length > 8 && (word.EndsWith("password", StringComparison.Ordinal) || word.EndsWith("passwd", StringComparison.Ordinal)));

    private static bool IsSecretWord(string word)
    {
        if (SecretWords.Contains(word))
        {
            return true;
        }
        foreach (string suffix in SecretSuffixes)
        {
            if (word.Length > suffix.Length && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Lower-case words of a key: split at <c>_ . - :</c> and at camel-case humps
    /// (<c>apiKeyHeaderName</c> → api, key, header, name; <c>APIKey</c> → api, key).</summary>
    public static List<string> Words(string key)
    {
        var words = new List<string>();
        int start = 0;
        for (int i = 0; i <= key.Length; i++)
        {
            bool boundary = i == key.Length || !char.IsAsciiLetterOrDigit(key[i]);
            bool hump = !boundary && i > start && char.IsAsciiLetterUpper(key[i])
                && (char.IsAsciiLetterLower(key[i - 1]) || (i + 1 < key.Length && char.IsAsciiLetterLower(key[i + 1]) && char.IsAsciiLetterUpper(key[i - 1])));
            if (boundary || hump)
            {
                if (i > start)
                {
                    words.Add(key[start..i].ToLowerInvariant());
                }
                start = boundary ? i + 1 : i;
            }
        }
        return words;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
