using System.Text.Json;

namespace LeakGuard.Cli.Tests;

public class ScanCommandTests
{
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";


    private readonly string _dir = CliRunner.TempDirectory();
    private readonly string _rules;

    public ScanCommandTests()
    {
        _rules = TestRules.WriteTo(_dir, TestRules.GitHubAndPassword);
    }

    private string Tree(string name = "tree")
    {
        string root = Path.Join(_dir, name);
        Directory.CreateDirectory(Path.Join(root, "src"));
        File.WriteAllText(Path.Join(root, "src", "config.js"), $"export const token = \"{Token}\";\n");
        File.WriteAllText(Path.Join(root, "src", "db.py"), "\n\npassword = \"Xk9#mQ2!vL7p\"\n");
        File.WriteAllText(Path.Join(root, "README.md"), "nothing to see\n");
        return root;
    }

    private CliRunner.Outcome Scan(params string[] args) =>
        CliRunner.Run(["scan", "--no-builtin-rules", "--rules", _rules, .. args]);

    [Fact]
    public void A_name_inside_an_archive_cannot_forge_a_line_or_move_the_cursor_on_stderr()
    {
        // A real tarball holding a damaged .tgz whose name ends the line and draws another.
        string package = Path.Join(_dir, "staging", "package");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Join(package, "inner.txt"), string.Concat(Enumerable.Repeat("some text to compress\n", 200)));
        Run(package, "gzip", "-9", "-n", "inner.txt");
        // A real gzip header (no name: 10 bytes) over a damaged body: it cannot be inflated, and the warning names it.
        byte[] inner = File.ReadAllBytes(Path.Join(package, "inner.txt.gz"));
        Array.Fill(inner, (byte)0xFF, 10, inner.Length - 10);
        File.Delete(Path.Join(package, "inner.txt.gz"));
        const string Name = "x\nwarning: nothing else to report\u001b[2K.tgz";
        File.WriteAllBytes(Path.Join(package, Name), inner);
        string tarball = Path.Join(_dir, "forged.tgz");
        Run(Path.Join(_dir, "staging"), "tar", "-czf", tarball, "package");

        var run = Scan(tarball, "--no-progress");

        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string warning = Assert.Single(lines, l => l.Contains("truncated or corrupt", StringComparison.Ordinal));
        Assert.StartsWith("warning: ", warning, StringComparison.Ordinal);
        Assert.Contains(@"forged.tgz!package/x\u000awarning: nothing else to report\u001b[2K.tgz: gzip archive is truncated", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("warning: nothing else", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', run.Stderr);
    }

    private static void Run(string directory, string file, params string[] args) =>
        LeakGuard.Processes.ProcessRunner.Run(new LeakGuard.Processes.ProcessCommand(file, args) { WorkingDirectory = directory, Description = file },
            TimeSpan.FromMinutes(1)).EnsureSuccess();

    [Fact]
    public void A_file_beyond_what_one_read_holds_is_streamed_not_a_crash_whatever_the_max_file_size()
    {
        // 3 GiB of zeros: binary, too large to hold and open as an archive, so one warning.
        string big = Path.Join(_dir, "big.bin");
        using (var sparse = File.Create(big))
        {
            sparse.SetLength(3L << 30);
        }

        foreach (var run in new[] { Scan(big, "--max-file-size", "4GiB"), Scan(big) })
        {
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("skipped: binary and larger than", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_report_follows_the_contract()
    {
        string report = Path.Join(_dir, "report.json");
        var run = Scan(Tree(), "--format", "json", "--output", report);
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        var root = doc.RootElement;
        Assert.Equal("leakguard", root.GetProperty("tool").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.Contains(root.GetProperty("engine").GetString(), new[] { "hyperscan", "managed" });
        Assert.Equal(3, root.GetProperty("stats").GetProperty("blobs").GetInt64());
        Assert.True(root.GetProperty("stats").GetProperty("bytes").GetInt64() > 50);
        Assert.True(root.GetProperty("stats").GetProperty("seconds").GetDouble() >= 0);
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(2, findings.Count);
        var github = findings.Single(f => f.GetProperty("ruleId").GetString() == "test.github");
        Assert.Equal("secret", github.GetProperty("kind").GetString());
        Assert.Equal("critical", github.GetProperty("severity").GetString());
        Assert.Equal("GitHub token", github.GetProperty("title").GetString());
        var location = github.GetProperty("location");
        Assert.EndsWith("src/config.js", location.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, location.GetProperty("line").GetInt32());
        Assert.Equal(23, location.GetProperty("column").GetInt32());
        foreach (string field in new[] { "commit", "author", "date", "package", "version" })
        {
            Assert.Equal(JsonValueKind.Null, location.GetProperty(field).ValueKind);
        }
        Assert.Equal("ghp_…G5iK", github.GetProperty("secret").GetString());
        Assert.Matches("^[0-9a-f]{32}$", github.GetProperty("fingerprint").GetString());
        Assert.Equal(JsonValueKind.Object, github.GetProperty("details").ValueKind);
        Assert.DoesNotContain(Token, File.ReadAllText(report));
    }

    [Fact]
    public void Exit_code_follows_fail_on()
    {
        string root = Tree();
        File.Delete(Path.Join(root, "src", "config.js"));
        Assert.Equal(1, Scan(root).ExitCode);
        Assert.Equal(0, Scan(root, "--fail-on", "high").ExitCode);
        Assert.Equal(1, Scan(root, "--fail-on", "low").ExitCode);
    }

    [Fact]
    public void A_clean_tree_exits_zero()
    {
        string root = Path.Join(_dir, "clean");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Join(root, "a.txt"), "hello");
        var run = Scan(root);
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--max-file-size", "lots")]
    [InlineData("--fail-on", "severe")]
    [InlineData("--engine", "fastest")]
    public void A_bad_option_exits_two_with_a_one_line_reason(string option, string value)
    {
        var run = Scan(Tree(), option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("leakguard: ", run.Stderr);
        Assert.Contains(value, run.Stderr);
    }

    [Fact]
    public void A_missing_target_exits_two()
    {
        var run = Scan(Path.Join(_dir, "does-not-exist"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no such file or directory", run.Stderr);
    }

    [Fact]
    public void A_malformed_target_is_a_clear_usage_error()
    {
        var run = Scan("github:acme/api");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("name an organisation or user", run.Stderr);
    }

    [Fact]
    public void Standard_input_is_scanned_with_a_dash()
    {
        var run = CliRunner.RunWith($"line one\nkey {Token}\n", null, "scan", "-", "--no-builtin-rules", "--rules", _rules, "--format", "json");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        var location = doc.RootElement.GetProperty("findings")[0].GetProperty("location");
        Assert.Equal("stdin", location.GetProperty("path").GetString());
        Assert.Equal(2, location.GetProperty("line").GetInt32());
    }

    [Fact]
    public void Both_engines_report_the_same_findings_and_name_themselves()
    {
        string root = Tree();
        var managed = JsonDocument.Parse(Scan(root, "--engine", "managed", "--format", "json").Stdout).RootElement;
        var hyperscan = JsonDocument.Parse(Scan(root, "--engine", "hyperscan", "--format", "json").Stdout).RootElement;
        Assert.Equal("managed", managed.GetProperty("engine").GetString());
        Assert.Equal("hyperscan", hyperscan.GetProperty("engine").GetString());
        Assert.Equal(managed.GetProperty("findings").GetRawText(), hyperscan.GetProperty("findings").GetRawText());
    }

    [Fact]
    public void An_unreadable_file_is_a_warning_and_the_rest_is_scanned()
    {
        string root = Tree("unreadable");
        string secret = Path.Join(root, "src", "secret.txt");
        File.WriteAllText(secret, Token);
        File.SetUnixFileMode(secret, UnixFileMode.None);
        // Root reads everything: run as nobody, where mode 000 means what it says.
        foreach (string dir in new[] { _dir, root, Path.Join(root, "src") })
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }
        string[] asNobody = Environment.UserName == "root"
            ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", $"HOME={_dir}", "DOTNET_CLI_HOME=" + _dir]
            : ["env"];
        var run = CliRunner.RunWith(null, asNobody, "scan", root, "--no-builtin-rules", "--rules", _rules, "--format", "json", "--engine", "managed");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("secret.txt: could not be read", run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Contains(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("location").GetProperty("path").GetString()!.EndsWith("config.js", StringComparison.Ordinal));
    }

    [Fact]
    public void A_200_megabyte_single_line_file_is_scanned_to_its_end()
    {
        string root = Path.Join(_dir, "huge");
        Directory.CreateDirectory(root);
        string file = Path.Join(root, "bundle.min.js");
        using (var stream = File.Create(file))
        {
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'a');
            for (int i = 0; i < 200; i++)
            {
                stream.Write(block);
            }
            stream.Write(System.Text.Encoding.ASCII.GetBytes($" {Token};"));
        }
        var run = Scan(root, "--format", "json");
        Assert.Equal(1, run.ExitCode);
        var location = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings")[0].GetProperty("location");
        Assert.Equal(1, location.GetProperty("line").GetInt32());
        Assert.Equal((200 << 20) + 2, location.GetProperty("column").GetInt32());
        File.Delete(file);
    }

    [Fact]
    public void The_max_file_size_option_skips_larger_files_with_a_warning()
    {
        string root = Tree();
        var run = Scan(root, "--max-file-size", "40", "--format", "json");
        Assert.Contains("config.js: skipped", run.Stderr);
        Assert.Contains("--max-file-size", run.Stderr);
        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings");
        Assert.Equal("test.password", Assert.Single(findings.EnumerateArray()).GetProperty("ruleId").GetString());
    }
}
