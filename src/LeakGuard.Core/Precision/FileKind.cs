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
        ".ex", ".exs", ".erl", ".clj", ".sql", ".inc", ".ipp", ".tcc",
    };

    private static readonly HashSet<string> DocumentationExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc", ".textile", ".html", ".htm", ".man", ".1", ".3", ".ipynb",
    };

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
            || name.EndsWith(".d.cts", StringComparison.OrdinalIgnoreCase))
        {
            // Type declarations carry no values; what looks like one is a doc comment's example.
            return FileKind.Documentation;
        }
        string extension = Path.GetExtension(name);
        if (IsLocale(path))
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
        if (DocumentationExtensions.Contains(extension) || name.StartsWith("README", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("CHANGELOG", StringComparison.OrdinalIgnoreCase))
        {
            return FileKind.Documentation;
        }
        return FileKind.Other;
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
