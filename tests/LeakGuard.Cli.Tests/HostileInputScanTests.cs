using System.Text;
using System.Text.Json;
using LeakGuard.Processes;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Cli.Tests;

/// <summary>`leakguard scan` on the crafted inputs of issue 11, made with the real tar and gzip:
/// the command ends with a report, and its exit code comes from the findings alone.</summary>
public class HostileInputScanTests
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly string _rules;

    public HostileInputScanTests()
    {
        _rules = TestRules.WriteTo(_dir, TestRules.GitHub);
    }

    private CliRunner.Outcome Scan(params string[] args) =>
        CliRunner.Run(["scan", "--no-builtin-rules", "--rules", _rules, "--format", "json", "--fail-on", "critical", .. args]);

    private void Run(string file, params string[] args) =>
        ProcessRunner.Run(new ProcessCommand(file, args) { WorkingDirectory = _dir, Description = file }, TimeSpan.FromMinutes(1)).EnsureSuccess();

    [Fact]
    public void A_tar_header_that_breaks_its_reader_is_a_warning_and_the_exit_code_comes_from_the_findings()
    {
        string clean = Path.Join(_dir, "clean");
        Directory.CreateDirectory(Path.Join(_dir, "package"));
        File.WriteAllText(Path.Join(_dir, "package", "a.js"), "nothing here\n");
        File.WriteAllText(Path.Join(_dir, "package", "b.txt"), "after the damage\n");
        Run("tar", "--format=ustar", "-cf", "pkg.tar", "package/a.js", "package/b.txt");
        byte[] tar = File.ReadAllBytes(Path.Join(_dir, "pkg.tar"));
        CraftedTar.OverflowSize(tar, "package/b.txt");
        File.WriteAllBytes(Path.Join(_dir, "pkg.tar"), tar);
        Run("gzip", "pkg.tar");
        Directory.CreateDirectory(clean);
        File.Move(Path.Join(_dir, "pkg.tar.gz"), Path.Join(clean, "pkg.tgz"));

        var alone = Scan(clean);
        Assert.Equal(0, alone.ExitCode);
        var report = JsonDocument.Parse(alone.Stdout).RootElement;
        Assert.Empty(report.GetProperty("findings").EnumerateArray());
        Assert.All(report.GetProperty("warnings").EnumerateArray(),
            w => Assert.EndsWith("pkg.tgz", w.GetProperty("path").GetString(), StringComparison.Ordinal));

        File.WriteAllText(Path.Join(clean, "token.js"), $"const t = \"{Token}\";\n");
        var withToken = Scan(clean);
        Assert.Equal(1, withToken.ExitCode);
        Assert.EndsWith("token.js", JsonDocument.Parse(withToken.Stdout).RootElement.GetProperty("findings")[0]
            .GetProperty("location").GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_tgz_holding_millions_of_matches_on_one_line_gives_a_small_report_with_a_note()
    {
        // 32 MiB of one matching line. Each token is followed by one of four letters: a line of
        // the token alone deflates more than 200x, and a .tgz member that does is cut off as a bomb
        // (issue 11.7); this one stays below the ratio and gzips to about 1 MB.
        Directory.CreateDirectory(Path.Join(_dir, "package"));
        var random = new Random(32);
        using (var line = new BufferedStream(File.Create(Path.Join(_dir, "package", "line.js"))))
        {
            byte[] repeated = Encoding.ASCII.GetBytes(Token + " x ");
            for (long written = 0; written < 32 << 20; written += repeated.Length)
            {
                repeated[^2] = (byte)"abcd"[random.Next(4)];
                line.Write(repeated);
            }
        }
        Run("tar", "-czf", "one-line.tgz", "package/line.js");
        string tgz = Path.Join(_dir, "one-line.tgz");
        Assert.True(new FileInfo(tgz).Length < 4_000_000);

        var run = Scan(tgz);

        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Stdout.Length < 64 * 1024, $"a report of {run.Stdout.Length:N0} characters");
        var report = JsonDocument.Parse(run.Stdout).RootElement;
        // One token, one finding; it counts the places it reported.
        var finding = Assert.Single(report.GetProperty("findings").EnumerateArray());
        Assert.Equal(100, finding.GetProperty("details").GetProperty("locations").GetProperty("count").GetInt32());
        string note = Assert.Single(report.GetProperty("notes").EnumerateArray()).GetString()!;
        Assert.Matches(@"^\d{3},\d{3} more matches in 1 file were not reported \(at most 100 findings per rule and 1,000 per file\): .*one-line\.tgz!package/line\.js", note);
    }
}
