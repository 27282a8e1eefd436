using LeakGuard.Processes;

namespace LeakGuard.Cli.Tests;

/// <summary>Runs the built leakguard command as a separate process, as a user or CI would.</summary>
internal static class CliRunner
{
    public static readonly string CacheDirectory = Directory.CreateTempSubdirectory("leakguard-cli-cache-").FullName;

    /// <summary>The runs' configuration folder (XDG_CONFIG_HOME), where the first run makes the
    /// fingerprint key, as on a machine LeakGuard never ran on; never the user's own.</summary>
    public static readonly string ConfigDirectory = Directory.CreateTempSubdirectory("leakguard-cli-config-").FullName;

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static Outcome Run(params string[] args) => RunWith(null, null, args);

    public static Outcome RunWith(string? stdin, string[]? prefix, params string[] args) => RunIn(null, stdin, prefix, args);

    /// <summary>Runs with extra environment variables (e.g. NPM_CONFIG_USERCONFIG).</summary>
    public static Outcome RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunIn(environment, null, null, args);

    /// <summary>Runs in <paramref name="workingDirectory"/>, as a user who has cd'd there would.</summary>
    public static Outcome RunInDirectory(string workingDirectory, params string[] args) =>
        RunIn(null, null, null, args, workingDirectory);

    private static Outcome RunIn(IReadOnlyDictionary<string, string>? environment, string? stdin, string[]? prefix, string[] args,
        string? workingDirectory = null)
    {
        string dll = Path.Join(AppContext.BaseDirectory, "leakguard.dll");
        string[] line = prefix is null ? ["dotnet", dll, .. args] : [.. prefix, "dotnet", dll, .. args];
        var variables = new Dictionary<string, string?>
        {
            ["LEAKGUARD_CACHE"] = CacheDirectory, ["NO_COLOR"] = "1", ["XDG_CONFIG_HOME"] = ConfigDirectory, ["LEAKGUARD_FINGERPRINT_KEY"] = null,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        var command = new ProcessCommand(line[0], line[1..])
        {
            Environment = variables,
            WorkingDirectory = workingDirectory,
            StandardInput = stdin,
            // Reports written to stdout can be large; the bound is only against a runaway.
            OutputLimit = 64 * 1024 * 1024,
            Description = "leakguard",
        };
        var result = ProcessRunner.Run(command, TimeSpan.FromMinutes(5));
        return new Outcome(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("leakguard-cli-tests-").FullName;
}
