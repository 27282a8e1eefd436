namespace LeakGuard.Cli.Tests;

/// <summary>Rule files the CLI tests scan with (never the built-in rules, which change).</summary>
internal static class TestRules
{
    /// <summary>One high-severity token rule: tok_ + 20 letters and digits.</summary>
    public const string Token = """
        rules:
          - id: test.token
            name: Test token
            kind: secret
            severity: high
            pattern: '\b(tok_[A-Za-z0-9]{20})\b'
            keywords: [tok_]
            examples: ['tok_Zq8vJ2mT4kLp9Xw1cR7n']
            negative_examples: ['tok_short']
        """;

    /// <summary>One critical rule: GitHub classic tokens.</summary>
    public const string GitHub = """
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

    /// <summary>A critical GitHub token rule and a medium password rule gated by entropy.</summary>
    public const string GitHubAndPassword = """
        rules:
          - id: test.github
            name: GitHub token
            kind: secret
            severity: critical
            pattern: '\b(ghp_[A-Za-z0-9]{36})\b'
            keywords: [ghp_]
            examples: ['ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK']
            negative_examples: ['ghp_short']
          - id: test.password
            name: Password assignment
            kind: secret
            severity: medium
            pattern: '(?i)password\s{0,3}[=:]\s{0,3}"([^"\s]{8,64})"'
            keywords: [password]
            entropy: 3.0
            examples: ['password = "Xk9#mQ2!vL7p"']
            negative_examples: ['password = "aaaaaaaa"']
        """;

    /// <summary>Writes <paramref name="yaml"/> into <paramref name="directory"/> and returns the
    /// options that make a command use those rules alone.</summary>
    public static string[] Options(string directory, string yaml) => ["--no-builtin-rules", "--rules", WriteTo(directory, yaml)];

    /// <summary>Writes <paramref name="yaml"/> to rules.yaml in <paramref name="directory"/>.</summary>
    public static string WriteTo(string directory, string yaml)
    {
        string path = Path.Join(directory, "rules.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
