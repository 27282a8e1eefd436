using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Cli.Tests;

/// <summary>`leakguard scan` on the default limits over an archive whose bomb comes before a
/// token (issue 11.4): the token is reported and fails the build; the bomb is a finding and the
/// report says what was cut off.</summary>
public class ArchiveBombScanTests
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    [Fact]
    public void A_token_behind_a_nested_bomb_fails_the_scan()
    {
        string dir = CliRunner.TempDirectory();
        ArchiveBombs.NestedZip(dir);
        File.WriteAllText(Path.Join(dir, "after.js"), $"const token = \"{Token}\";\n");
        ExternalTool.Run(dir, "zip", "-q", "release.zip", "bomb.zip", "after.js");
        string report = Path.Join(dir, "report.json");

        var run = CliRunner.Run("scan", Path.Join(dir, "release.zip"), "--fail-on", "high", "--format", "json", "--output", report, "--no-progress");

        Assert.Equal(1, run.ExitCode);
        var root = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString() == "github.pat" &&
            f.GetProperty("location").GetProperty("path").GetString()!.EndsWith("release.zip!after.js", StringComparison.Ordinal));
        Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "leakguard.archive-bomb");
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w =>
            w.GetProperty("path").GetString()!.Contains("release.zip!bomb.zip", StringComparison.Ordinal) &&
            w.GetProperty("message").GetString()!.Contains("the archive around it is still scanned", StringComparison.Ordinal));
    }
}
