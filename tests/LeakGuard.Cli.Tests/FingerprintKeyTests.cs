using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Cli.Tests;

/// <summary>
/// A report's fingerprint sits next to the secret's first and last characters. Unkeyed, hashing
/// guesses for the characters in between recovers a short secret; keyed with the installation's
/// secret, a guess can only be checked by whoever holds the key. The key is made on first use in
/// the user's configuration folder, or given in LEAKGUARD_FINGERPRINT_KEY so CI and laptops agree.
/// </summary>
public sealed class FingerprintKeyTests
{
    private const string Token = "tok_Zq8vJ2mT4kLp9Xw1cR7n";

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly string _rules;
    private readonly string _project;

    public FingerprintKeyTests()
    {
        _rules = TestRules.WriteTo(_dir, TestRules.Token);
        _project = Path.Join(_dir, "project");
        Directory.CreateDirectory(_project);
        File.WriteAllText(Path.Join(_project, "app.env"), $"TOKEN={Token}\n");
    }

    private CliRunner.Outcome Scan(string configHome, string? key = null)
    {
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = configHome };
        if (key is not null)
        {
            environment["LEAKGUARD_FINGERPRINT_KEY"] = key;
        }
        return CliRunner.RunWithEnvironment(environment,
            "scan", _project, "--no-builtin-rules", "--rules", _rules, "--no-progress", "--format", "json");
    }

    private string Fingerprint(string configHome, string? key = null)
    {
        var run = Scan(configHome, key);
        Assert.True(run.ExitCode == 1, run.Stderr);
        var finding = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray());
        return finding.GetProperty("fingerprint").GetString()!;
    }

    private string NewConfigHome() => Directory.CreateDirectory(Path.Join(_dir, $"config-{Guid.NewGuid():N}")).FullName;

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, 16));

    [Fact]
    public void A_guessed_secret_cannot_be_checked_against_the_reported_fingerprint()
    {
        string fingerprint = Fingerprint(NewConfigHome());

        // What an attacker holding the report computes for each guess: the right guess must not match.
        byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
        Assert.NotEqual(Hex(Sha256($"test.token\napp.env\n{Token}")), fingerprint);
        Assert.NotEqual(Hex(Sha256($"test.token\napp.env\n{Convert.ToHexStringLower(Sha256(Token))}")), fingerprint);
    }

    [Fact]
    public void The_key_is_made_on_first_use_for_the_user_alone_and_kept()
    {
        string home = NewConfigHome();
        string keyFile = Path.Join(home, "leakguard", "fingerprint.key");

        string first = Fingerprint(home);

        Assert.True(File.Exists(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Matches("^[0-9a-f]{64}\n$", File.ReadAllText(keyFile));
        Assert.Equal(first, Fingerprint(home));
        Assert.NotEqual(first, Fingerprint(NewConfigHome()));
    }

    [Fact]
    public void The_key_in_the_environment_makes_machines_agree_and_wins_over_the_file()
    {
        string laptop = NewConfigHome();
        string fromFile = Fingerprint(laptop);
        string laptopKey = File.ReadAllText(Path.Join(laptop, "leakguard", "fingerprint.key"));

        string ci = NewConfigHome();

        Assert.Equal(fromFile, Fingerprint(ci, laptopKey));
        Assert.Equal(Fingerprint(NewConfigHome(), "ci-key-0123456789abcdef"), Fingerprint(ci, "ci-key-0123456789abcdef"));
        Assert.NotEqual(fromFile, Fingerprint(laptop, "ci-key-0123456789abcdef"));
        Assert.False(File.Exists(Path.Join(ci, "leakguard", "fingerprint.key")));
    }

    [Fact]
    public void Runs_that_make_the_key_at_the_same_time_agree_on_it()
    {
        string home = NewConfigHome();

        var fingerprints = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(_ => Fingerprint(home)).ToList();

        Assert.Single(fingerprints.Distinct());
        Assert.Equal(["fingerprint.key"], Directory.GetFiles(Path.Join(home, "leakguard")).Select(Path.GetFileName));
    }

    [Fact]
    public void Without_a_place_for_the_key_the_scan_still_runs_and_says_so()
    {
        string notAFolder = Path.Join(_dir, "config-file");
        File.WriteAllText(notAFolder, "");

        var run = Scan(notAFolder);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray());
        Assert.Contains("note: fingerprints of this run match no other run's", run.Stderr);
        Assert.Contains("LEAKGUARD_FINGERPRINT_KEY", run.Stderr);
    }

    [Fact]
    public void A_key_too_short_to_be_secret_is_refused_without_repeating_it()
    {
        var run = Scan(NewConfigHome(), "hunter2");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("LEAKGUARD_FINGERPRINT_KEY", run.Stderr);
        Assert.DoesNotContain("hunter2", run.Stderr);
    }

    [Fact]
    public void A_damaged_key_file_is_an_error_naming_it_not_a_silent_new_key()
    {
        string home = NewConfigHome();
        Directory.CreateDirectory(Path.Join(home, "leakguard"));
        File.WriteAllText(Path.Join(home, "leakguard", "fingerprint.key"), "\n");

        var run = Scan(home);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(Path.Join(home, "leakguard", "fingerprint.key"), run.Stderr);
    }
}
