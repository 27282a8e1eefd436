using LeakGuard.Processes;

namespace LeakGuard.Cli.Tests.Registry;

/// <summary>Runs npm, dotnet, esbuild and other real tools the tests build their artefacts with;
/// a tool that fails fails the test with its last lines of output.</summary>
internal static class ExternalTool
{
    public static string Run(string workingDirectory, string file, params string[] args)
    {
        var command = new ProcessCommand(file, args)
        {
            WorkingDirectory = workingDirectory,
            Environment = new Dictionary<string, string?> { ["NO_UPDATE_NOTIFIER"] = "1", ["npm_config_fund"] = "false", ["npm_config_audit"] = "false" },
            Description = $"{file} {string.Join(' ', args)}",
        };
        return ProcessRunner.Run(command, TimeSpan.FromMinutes(3)).EnsureSuccess().StandardOutput;
    }
}
