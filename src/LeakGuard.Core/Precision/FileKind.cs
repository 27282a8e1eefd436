namespace LeakGuard.Core.Precision;

/// <summary>What a file is for, as far as its name tells: the same <c>password = "…"</c> is a
/// credential in a configuration file and usually an example in documentation or a test.</summary>
public enum FileKind
{
    /// <summary>Nothing known (plain text, an unknown extension).</summary>
    Other,
    Configuration,
    SourceCode,
    Documentation,
    TestFixture,
}

/// <summary>Classifies a member path (the part after the last <c>!</c>, <c>/</c> separators).</summary>
public static class FileKinds
{
    private static readonly HashSet<string> ConfigurationExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".env", ".ini", ".cfg", ".conf", ".config", ".properties", ".yaml", ".yml", ".toml", ".json", ".xml",
        ".tf", ".tfvars", ".hcl", ".npmrc", ".pypirc", ".netrc", ".pgpass", ".cnf", ".settings", ".plist", ".tfstate",
    };

    private static readonly HashSet<string> ConfigurationNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ".env", "dockerfile", "docker-compose.yml", "docker-compose.yaml", ".npmrc", ".yarnrc", ".pypirc", ".netrc",
        ".pgpass", ".git-credentials", "credentials", "config", "settings.py", "local_settings.py", "wp-config.php",
        // Shell profiles: where people export their tokens.
        ".bashrc", ".bash_profile", ".bash_login", ".bash_aliases", ".zshrc", ".zshenv", ".zprofile", ".profile", ".kshrc", ".envrc",
    };

    /// <summary>Folders of UI strings: a value there is text shown to people ("Password", "Forgot
    /// your password?"), like documentation.</summary>
    private static readonly string[] LocaleSegments = ["locale", "locales", "i18n", "l10n", "lang", "langs", "translations", "messages"];

    private static readonly HashSet<string> SourceExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".py", ".rb", ".php", ".cs", ".vb", ".fs", ".java", ".kt",
        ".kts", ".scala", ".go", ".rs", ".c", ".h", ".cc", ".cpp", ".hpp", ".hh", ".hxx", ".m", ".mm", ".swift", ".dart", ".lua",
        ".pl", ".pm", ".r", ".sh", ".bash", ".zsh", ".ps1", ".psm1", ".bat", ".cmd", ".groovy", ".gradle", ".vue", ".svelte",
        ".ex", ".exs", ".erl", ".clj", ".sql", ".inc", ".ipp", ".tcc", ".pas", ".dpr", ".lpr", ".dpk", ".vim", ".el", ".tcl",
    };

    private static readonly HashSet<string> DocumentationExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc", ".textile", ".html", ".htm", ".man", ".1", ".3", ".ipynb",
        ".info", ".texi", ".texinfo", ".pod",
    };

    /// <summary>Names of release notes and change logs (<c>NEWS</c>, <c>ChangeLog</c>, <c>RELEASE_NOTES</c>),
    /// and of a Python package's metadata, which carries its README (<c>METADATA</c>, <c>PKG-INFO</c>):
    /// prose about a program, its options and their example values.</summary>
    private static readonly string[] DocumentationNames =
        ["README", "CHANGELOG", "CHANGES", "NEWS", "HISTORY", "RELEASE_NOTES", "RELEASE-NOTES", "METADATA", "PKG-INFO"];

    private static readonly string[] TestSegments = ["test", "tests", "__tests__", "__mocks__", "spec", "specs", "fixtures", "fixture", "testdata", "test-data", "__fixtures__", "e2e", "mocks"];

    /// <param name="content">The file's bytes: a .NET XML documentation file (<c>&lt;doc&gt;</c>,
    /// shipped beside every assembly) is documentation, not configuration.
    /// A file without an extension is code when its first line says so: a script's <c>#!</c>, or
    /// the editor mode line of C++ standard headers (<c>// &lt;thread&gt; -*- C++ -*-</c>).</param>
    public static FileKind Of(string memberPath, ReadOnlySpan<byte> content)
    {
        var kind = Of(memberPath);
        if (kind == FileKind.Configuration && memberPath.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
            && content[..Math.Min(content.Length, 256)].IndexOf("<doc>"u8) >= 0)
        {
            return FileKind.Documentation;
        }
        if (kind == FileKind.Other && IsRoff(content))
        {
            return FileKind.Documentation;
        }
        if (kind == FileKind.Other && memberPath.EndsWith(".pp", StringComparison.OrdinalIgnoreCase) && IsPascal(content))
        {
            return FileKind.SourceCode;
        }
        if (kind == FileKind.Other && Path.GetExtension(memberPath).Length == 0)
        {
            var head = content[..Math.Min(content.Length, 256)];
            int newline = head.IndexOf((byte)'\n');
            var first = newline < 0 ? head : head[..newline];
            if (first.StartsWith("#!"u8) || first.IndexOf("-*- C++ -*-"u8) >= 0 || first.IndexOf("-*- c++ -*-"u8) >= 0)
            {
                return FileKind.SourceCode;
            }
        }
        return kind;
    }

    public static FileKind Of(string memberPath)
    {
        string path = memberPath.Replace('\\', '/');
        string name = path[(path.LastIndexOf('/') + 1)..];
        if (IsTest(path, name))
        {
            return FileKind.TestFixture;
        }
        if (name.EndsWith(".d.ts", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".d.mts", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".d.cts", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pyi", StringComparison.OrdinalIgnoreCase))
        {
            // Type declarations (TypeScript's, Python's stubs) carry no values; what looks like one
            // is a type (owner_password: str) or a doc comment's example.
            return FileKind.Documentation;
        }
        if (IsExamplesName(name))
        {
            return FileKind.Documentation;
        }
        string extension = Path.GetExtension(name);
        if (IsLocale(path) || IsLocalizedBundle(name, extension))
        {
            return FileKind.Documentation;
        }
        if (ConfigurationNames.Contains(name) || name.StartsWith(".env", StringComparison.OrdinalIgnoreCase)
            || ConfigurationExtensions.Contains(extension))
        {
            return FileKind.Configuration;
        }
        if (SourceExtensions.Contains(extension))
        {
            return FileKind.SourceCode;
        }
        if (DocumentationExtensions.Contains(extension) || IsInfoPart(extension)
            || DocumentationNames.Any(d => name.StartsWith(d, StringComparison.OrdinalIgnoreCase)))
        {
            return FileKind.Documentation;
        }
        return FileKind.Other;
    }

    /// <summary>Files named for the examples they hold (<c>examples-1.json</c>, <c>example-config.yml</c>,
    /// <c>samples.md</c>): an SDK's request and response samples. A template for real settings names
    /// its real file first (<c>.env.example</c>, <c>config.example.yml</c>) and is not one of these.</summary>
    private static bool IsExamplesName(string name)
    {
        string lower = name.ToLowerInvariant();
        foreach (string word in (ReadOnlySpan<string>)["examples", "example", "samples", "sample"])
        {
            if (lower.StartsWith(word, StringComparison.Ordinal)
                && (lower.Length == word.Length || lower[word.Length] is '.' or '-' or '_'))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The parts a long Info manual is split into: <c>gnupg.info-1</c>, <c>gnupg.info-2</c>.</summary>
    private static bool IsInfoPart(string extension) =>
        extension.StartsWith(".info-", StringComparison.OrdinalIgnoreCase) && extension.Length > 6 && extension[6..].All(char.IsAsciiDigit);

    /// <summary>A manual page in roff, whatever its section's extension (<c>apt_auth.conf.5</c>,
    /// <c>openssl-rsa.1ssl</c>): it opens with a roff comment (<c>.\"</c>, <c>'\"</c>) or request
    /// (<c>.TH</c>, mdoc's <c>.Dd</c>).</summary>
    private static bool IsRoff(ReadOnlySpan<byte> content) =>
        content.StartsWith(".\\\""u8) || content.StartsWith("'\\\""u8) || content.StartsWith(".TH "u8) || content.StartsWith(".Dd "u8);

    /// <summary>Free Pascal's <c>.pp</c> units (Puppet uses the same extension for its manifests): a
    /// line that opens a unit, program or library, or a compiler directive (<c>{$mode objfpc}</c>),
    /// in the first 8 KB.</summary>
    private static bool IsPascal(ReadOnlySpan<byte> content)
    {
        var head = content[..Math.Min(content.Length, 8192)];
        foreach (var range in head.Split((byte)'\n'))
        {
            var line = head[range].TrimStart(" \t"u8);
            if (line.StartsWith("{$"u8) || StartsWithWord(line, "unit"u8) || StartsWithWord(line, "program"u8) || StartsWithWord(line, "library"u8))
            {
                return true;
            }
        }
        return false;
    }

    private static bool StartsWithWord(ReadOnlySpan<byte> line, ReadOnlySpan<byte> word) =>
        line.Length > word.Length && System.Text.Ascii.EqualsIgnoreCase(line[..word.Length], word) && line[word.Length] == (byte)' ';

    /// <summary>Languages of Java resource bundles, whose files are named <c>Name_de.properties</c>,
    /// <c>jarsigner_ja.java</c>, <c>Messages_zh_CN.properties</c>. Not <c>uk</c> or <c>no</c>, which
    /// also name a deployment's country (<c>application_uk.properties</c>).</summary>
    private static readonly HashSet<string> BundleLanguages = new(StringComparer.Ordinal)
    {
        "ar", "cs", "da", "de", "el", "es", "fi", "fr", "he", "hu", "it", "ja", "ko", "nl", "pl", "pt", "ro", "ru", "sk", "sv",
        "th", "tr", "zh",
    };

    /// <summary>A resource bundle's translation (<c>_de</c>, <c>_pt_BR</c> before <c>.properties</c> or
    /// <c>.java</c>): UI strings, where <c>-storepass und -keypass</c> is a sentence.</summary>
    private static bool IsLocalizedBundle(string name, string extension)
    {
        if (!extension.Equals(".properties", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".java", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string[] parts = Path.GetFileNameWithoutExtension(name).Split('_');
        return parts.Length >= 2 && (BundleLanguages.Contains(parts[^1])
            || (parts.Length >= 3 && parts[^1].Length == 2 && parts[^1].All(char.IsAsciiLetterUpper) && BundleLanguages.Contains(parts[^2])));
    }

    private static bool IsLocale(string path)
    {
        foreach (string segment in path.Split('/').SkipLast(1))
        {
            if (Array.IndexOf(LocaleSegments, segment.ToLowerInvariant()) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsTest(string path, string name)
    {
        foreach (string segment in path.Split('/'))
        {
            if (Array.IndexOf(TestSegments, segment.ToLowerInvariant()) >= 0)
            {
                return true;
            }
        }
        string stem = Path.GetFileNameWithoutExtension(name).ToLowerInvariant();
        return stem.EndsWith(".test", StringComparison.Ordinal) || stem.EndsWith(".spec", StringComparison.Ordinal)
            || stem.EndsWith("_test", StringComparison.Ordinal) || stem.EndsWith("_spec", StringComparison.Ordinal)
            || stem.StartsWith("test_", StringComparison.Ordinal) || stem.EndsWith("_tests", StringComparison.Ordinal)
            || stem.EndsWith(".stories", StringComparison.Ordinal);
    }
}
