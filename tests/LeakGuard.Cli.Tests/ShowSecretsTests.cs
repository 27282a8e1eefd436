using System.Text.Json;

namespace LeakGuard.Cli.Tests;

/// <summary><c>scan --show-secrets</c>: the incident responder's opt-in to see what must be rotated.
/// Without it every report keeps the redacted form; commands whose output lands in CI logs do not
/// take it.</summary>
public sealed class ShowSecretsTests : IDisposable
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";
    private const string Password = "Xk9#mQ2!vL7p";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly string _rules;
    private readonly string _tree;

    public ShowSecretsTests()
    {
        _rules = TestRules.WriteTo(_dir, TestRules.GitHubAndPassword);
        _tree = Path.Join(_dir, "tree");
        Directory.CreateDirectory(_tree);
        File.WriteAllText(Path.Join(_tree, "config.js"), $"export const token = \"{Token}\";\n");
        File.WriteAllText(Path.Join(_tree, "db.py"), $"password = \"{Password}\"\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<string> Secrets(params string[] extra)
    {
        var run = CliRunner.Run(["scan", "--no-builtin-rules", "--rules", _rules, _tree, "--format", "json", "--no-progress", .. extra]);
        Assert.Equal(1, run.ExitCode);
        using var report = JsonDocument.Parse(run.Stdout);
        return [.. report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("secret").GetString()!).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void Shows_every_secret_in_full_only_when_asked()
    {
        var redacted = Secrets();
        var shown = Secrets("--show-secrets");

        Assert.Equal([Password, Token], shown);
        Assert.Equal(2, redacted.Count);
        Assert.DoesNotContain(Token, redacted);
        Assert.DoesNotContain(Password, redacted);
        Assert.Contains("ghp_…G5iK", redacted);
    }

    [Fact]
    public void Each_finding_carries_its_lines_redacted_unless_secrets_are_shown()
    {
        string Line(params string[] extra)
        {
            var run = CliRunner.Run(["scan", "--no-builtin-rules", "--rules", _rules, Path.Join(_tree, "config.js"), "--format", "json", "--no-progress", .. extra]);
            using var report = JsonDocument.Parse(run.Stdout);
            var context = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("context");
            return context.GetProperty("lines")[context.GetProperty("secretLine").GetInt32()].GetString()!;
        }

        Assert.Equal("export const token = \"ghp_…G5iK\";", Line());
        Assert.Equal($"export const token = \"{Token}\";", Line("--show-secrets"));
    }

    [Fact]
    public void Reaches_the_text_report_too()
    {
        var run = CliRunner.Run(["scan", "--no-builtin-rules", "--rules", _rules, _tree, "--no-progress", "--no-color", "--show-secrets"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(Token, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pre_commit_and_gate_commands_do_not_take_it()
    {
        var staged = CliRunner.Run(["git", "--staged", "--show-secrets"]);
        var gate = CliRunner.Run(["gate", "npm", _tree, "--show-secrets"]);

        Assert.Equal(2, staged.ExitCode);
        Assert.Equal(2, gate.ExitCode);
        Assert.Contains("--show-secrets", staged.Stderr, StringComparison.Ordinal);
    }
}
