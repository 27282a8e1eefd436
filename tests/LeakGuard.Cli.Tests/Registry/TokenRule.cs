namespace LeakGuard.Cli.Tests.Registry;

/// <summary>The one throwaway rule the registry, diff and gate tests scan with.</summary>
internal static class TokenRule
{
    private const string Yaml = """
        rules:
          - id: test.github
            name: GitHub token
            kind: secret
            severity: critical
            pattern: '\b(ghp_[A-Za-z0-9]{36})\b'
            keywords: [ghp_]
            examples: ['ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK']
            negative_examples: ['ghp_short']
        """;

    /// <summary>Writes the rule file into <paramref name="directory"/> and returns the options
    /// that make a command use it alone.</summary>
    public static string[] Options(string directory)
    {
        string path = Path.Join(directory, "rules.yaml");
        File.WriteAllText(path, Yaml);
        return ["--no-builtin-rules", "--rules", path];
    }
}
