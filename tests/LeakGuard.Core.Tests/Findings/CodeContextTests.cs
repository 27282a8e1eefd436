using System.Text;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Tests.Findings;

public class CodeContextTests
{
    private const string Secret = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";
    private const string Redacted = "ghp_…G5iK";

    private static CodeContext Around(string text, string secret = Secret)
    {
        byte[] content = Encoding.UTF8.GetBytes(text);
        int start = Encoding.UTF8.GetByteCount(text[..text.IndexOf(secret, StringComparison.Ordinal)]);
        return CodeContext.Around(content, start, Encoding.UTF8.GetByteCount(secret), secret, SecretText.Redact(secret));
    }

    [Fact]
    public void Two_lines_each_side_with_the_secret_redacted_wherever_it_is()
    {
        var context = Around($"one\ntwo\nthree\r\nfour\ntoken = \"{Secret}\" # {Secret}\nsix\nseven\neight\n");

        Assert.Equal(["three", "four", $"token = \"{Redacted}\" # {Redacted}", "six", "seven"], context.Lines);
        Assert.Equal(2, context.SecretLine);
    }

    [Fact]
    public void At_the_edges_of_the_text_takes_what_there_is()
    {
        var context = Around($"{Secret}\nnext");

        Assert.Equal([Redacted, "next"], context.Lines);
        Assert.Equal(0, context.SecretLine);
    }

    [Fact]
    public void A_secret_over_several_lines_is_redacted_whole()
    {
        const string Key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
        var context = Around($"# deploy key\nkey: |\n{Key}\nafter\n", Key);

        Assert.DoesNotContain(context.Lines, l => l.Contains("MIIEvQ", StringComparison.Ordinal));
        Assert.Equal(["# deploy key", "key: |", SecretText.Redact(Key), "after"], context.Lines);
    }

    [Fact]
    public void A_minified_line_is_cut_around_the_secret()
    {
        string line = new string('a', 5000) + $"x=\"{Secret}\";" + new string('b', 5000);
        var context = Around(line);

        string shown = Assert.Single(context.Lines);
        Assert.Contains(Redacted, shown, StringComparison.Ordinal);
        Assert.True(shown.Length <= CodeContext.MaxLineLength + 2, $"{shown.Length} characters");
        Assert.StartsWith("…", shown, StringComparison.Ordinal);
        Assert.EndsWith("…", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void No_finding_shows_another_findings_secret_in_its_context_not_even_a_part_of_it_at_a_cut()
    {
        const string Other = "ghp_Ab8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iQ";
        string padding = new('x', 160);
        var findings = Support.CoreTestKit.Scan(
            ("config.env", $"TOKEN={Secret}\nOLD_TOKEN={Other}\n"),
            ("bundle.js", $"var a=\"{Secret}\",{padding},b=\"{Other}\";\n")).Findings;

        Assert.Equal(4, findings.Count);
        foreach (var finding in findings)
        {
            foreach (string line in finding.Context!.Lines)
            {
                Assert.DoesNotContain("Zq8vJ", line, StringComparison.Ordinal);
                Assert.DoesNotContain("Ab8vJ", line, StringComparison.Ordinal);
            }
        }
        Assert.Equal(["TOKEN=ghp_…G5iK", "OLD_TOKEN=ghp_…G5iQ"], findings.First(f => f.Location.Path == "config.env").Context!.Lines);
    }
}
