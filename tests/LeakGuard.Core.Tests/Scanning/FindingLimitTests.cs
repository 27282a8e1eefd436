using System.Text;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>
/// Findings are bounded (issue 11, item 2): a crafted file can hold a match every few bytes, so one
/// file reports at most so many findings per rule and in all, and the report's note counts the
/// matches it left out.
/// </summary>
public class FindingLimitTests
{
    private const string Token = CoreTestKit.GitHubToken;

    private static byte[] OneLine(int tokens, string extra = "") =>
        Encoding.ASCII.GetBytes(string.Join(' ', Enumerable.Repeat(Token, tokens)) + extra);

    [Fact]
    public void One_rule_reports_at_most_its_limit_in_one_file_and_a_note_counts_the_rest()
    {
        var result = CoreTestKit.Scan(null, ("dist/line.js", OneLine(250)), ("other.js", OneLine(1)));

        Assert.Equal(100, result.Findings.Count(f => f.Location.Path == "dist/line.js"));
        Assert.Single(result.Findings, f => f.Location.Path == "other.js");
        var note = Assert.Single(result.Notes);
        Assert.Contains("150 more matches in 1 file were not reported", note);
        Assert.Contains("dist/line.js (150 of test.github)", note);
    }

    [Fact]
    public void All_rules_together_report_at_most_the_file_limit()
    {
        string passwords = string.Concat(Enumerable.Range(0, 10).Select(i => $"\npassword = \"Xk9#mQ2!vL7p{i}\""));
        var options = new ScanOptions { MaxFindingsPerRule = 6, MaxFindingsPerFile = 8 };

        var result = CoreTestKit.Scan(options, ("config.py", OneLine(10, passwords)));

        Assert.Equal(8, result.Findings.Count);
        Assert.Equal(6, result.Findings.Count(f => f.RuleId == "test.github"));
        Assert.Contains("12 more matches in 1 file", Assert.Single(result.Notes));
    }
}
