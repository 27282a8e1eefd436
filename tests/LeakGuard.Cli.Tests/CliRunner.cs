using System.Diagnostics;

namespace LeakGuard.Cli.Tests;

/// <summary>Runs the built leakguard command as a separate process, as a user or CI would.</summary>
internal static class CliRunner
{
    public static readonly string CacheDirectory = Directory.CreateTempSubdirectory("leakguard-cli-cache-").FullName;

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static Outcome Run(params string[] args) => RunWith(null, null, args);

    public static Outcome RunWith(string? stdin, string[]? prefix, params string[] args) => RunIn(null, stdin, prefix, args);

    /// <summary>Runs with extra environment variables (e.g. NPM_CONFIG_USERCONFIG).</summary>
    public static Outcome RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunIn(environment, null, null, args);

    private static Outcome RunIn(IReadOnlyDictionary<string, string>? environment, string? stdin, string[]? prefix, string[] args)
    {
        string dll = Path.Join(AppContext.BaseDirectory, "leakguard.dll");
        var start = new ProcessStartInfo(prefix is null ? "dotnet" : prefix[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string p in prefix?.Skip(1) ?? [])
        {
            start.ArgumentList.Add(p);
        }
        if (prefix is not null)
        {
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LEAKGUARD_CACHE"] = CacheDirectory;
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("leakguard did not finish within 5 minutes");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("leakguard-cli-tests-").FullName;
}
