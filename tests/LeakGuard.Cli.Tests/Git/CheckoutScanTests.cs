using System.Text.Json;
using LeakGuard.Tests.Git;

namespace LeakGuard.Cli.Tests.Git;

/// <summary>
/// A checkout is not a package: scanning a git work tree as a directory, with the built-in rules,
/// does not report its own .git as a shipped repository, however the tree is named, while a token
/// in a remote URL in .git/config is still found, and a .git/ inside an archive still is an exposure.
/// </summary>
public sealed class CheckoutScanTests
{
    // Not any rule's example, so no rule takes it for a published sample.
    private const string RemoteToken = "ghp_R4nd0mT0k3nF0rCh3ck0utT3stsQ8vW2xYzA";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly TestRepository _repo;

    public CheckoutScanTests()
    {
        _repo = new TestRepository(Path.Join(_dir, "checkout"));
        _repo.Write("README.md", "# app\n").Write("src/app.py", "print('hello')\n");
        // A shipped artefact in the tree: a package with a .git directory in it.
        string staging = Path.Join(_dir, "staging");
        Directory.CreateDirectory(Path.Join(staging, "package", ".git"));
        File.WriteAllText(Path.Join(staging, "package", ".git", "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(Path.Join(staging, "package", "index.js"), "module.exports = 1;\n");
        Directory.CreateDirectory(Path.Join(_repo.Path, "dist"));
        Tool(staging, "tar", "-czf", Path.Join(_repo.Path, "dist", "site-1.0.0.tgz"), "package");
        Tool(staging, "zip", "-q", "-r", Path.Join(_repo.Path, "dist", "site-1.0.0.zip"), "package");
        _repo.Commit("start");
        _repo.Git("remote", "add", "origin", $"https://ci-bot:{RemoteToken}@github.com/acme/app.git");
        // A vendored checkout inside the tree is a checkout too.
        var nested = new TestRepository(Path.Join(_repo.Path, "vendor", "lib"));
        nested.Write("lib.py", "X = 1\n").Commit("lib");
    }

    private static void Tool(string workingDirectory, string file, params string[] args) =>
        LeakGuard.Processes.ProcessRunner.Run(
            new LeakGuard.Processes.ProcessCommand(file, args) { WorkingDirectory = workingDirectory, Description = file },
            TimeSpan.FromMinutes(1)).EnsureSuccess();

    private static List<JsonElement> ScanIn(string workingDirectory, string target)
    {
        var run = CliRunner.RunInDirectory(workingDirectory, "scan", target, "--no-progress", "--format", "json");
        Assert.True(run.ExitCode is 0 or 1, run.Stderr);
        return [.. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone())];
    }

    private static string PathOf(JsonElement finding) => finding.GetProperty("location").GetProperty("path").GetString()!;

    public static TheoryData<string> Namings => new() { "dot", "relative", "absolute" };

    [Theory]
    [MemberData(nameof(Namings))]
    public void A_checkouts_own_git_directory_is_not_an_exposure_but_a_token_in_its_remote_url_is_found(string naming)
    {
        var findings = naming switch
        {
            "dot" => ScanIn(_repo.Path, "."),
            "relative" => ScanIn(_dir, "checkout"),
            _ => ScanIn("/", _repo.Path),
        };

        var exposures = findings.Where(f => f.GetProperty("kind").GetString() == "exposure").ToList();
        Assert.All(exposures, f => Assert.Contains("!package/.git/", PathOf(f), StringComparison.Ordinal));
        Assert.Contains(exposures, f => PathOf(f).EndsWith("site-1.0.0.tgz!package/.git/HEAD", StringComparison.Ordinal)
            && f.GetProperty("ruleId").GetString() == "release-artefacts.git-directory");
        Assert.Contains(exposures, f => PathOf(f).EndsWith("site-1.0.0.zip!package/.git/HEAD", StringComparison.Ordinal)
            && f.GetProperty("ruleId").GetString() == "release-artefacts.git-directory");

        var token = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "github.pat");
        Assert.EndsWith(".git/config", PathOf(token), StringComparison.Ordinal);
        Assert.DoesNotContain("vendor/lib", PathOf(token), StringComparison.Ordinal);
        Assert.Equal("secret", token.GetProperty("kind").GetString());
        string config = File.ReadAllText(Path.Join(_repo.Path, ".git", "config"));
        string urlLine = config.Split('\n').First(l => l.Contains(RemoteToken, StringComparison.Ordinal));
        Assert.Equal(urlLine.IndexOf(RemoteToken, StringComparison.Ordinal) + 1, token.GetProperty("location").GetProperty("column").GetInt32());
    }

    [Fact]
    public void The_findings_of_a_checkout_have_the_same_fingerprints_however_it_is_named()
    {
        static List<string> Fingerprints(List<JsonElement> findings) =>
            [.. findings.Select(f => f.GetProperty("fingerprint").GetString()!).Order(StringComparer.Ordinal)];

        var dot = Fingerprints(ScanIn(_repo.Path, "."));

        Assert.NotEmpty(dot);
        Assert.Equal(dot, Fingerprints(ScanIn(_dir, "checkout")));
        Assert.Equal(dot, Fingerprints(ScanIn("/", _repo.Path)));
    }
}
