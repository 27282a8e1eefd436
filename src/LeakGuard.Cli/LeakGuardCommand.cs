using System.CommandLine;
using LeakGuard.Cli.Commands;
using LeakGuard.Core;

namespace LeakGuard.Cli;

/// <summary>The command tree. Exit codes: 0 clean, 1 findings at or above --fail-on (or a
/// failed check), 2 usage or runtime error with a one-line reason on stderr.</summary>
public static class LeakGuardCommand
{
    public const int Clean = 0;
    public const int Found = 1;
    public const int Error = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("LeakGuard: finds secrets and exposed source code in what you publish.")
        {
            ScanCommand.Create(),
            DiffCommand.Create(),
            GateCommand.Create(),
            GitCommand.Create(),
            RulesCommand.Create(),
            ProtectCommand.Create(),
            ConformanceCommand.Create(),
            WatchCommand.Create(),
        };
        // No @response files: "@acme/cli" is an npm package name (--protect), not a file to expand.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Stderr.LineAsync($"leakguard: {error.Message}");
            }
            return Error;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // The service's host takes SIGTERM and Ctrl-C itself, to give a running scan its grace.
                ProcessTerminationTimeout = WatchCommand.Handles(parsed) ? null : TimeSpan.FromSeconds(2),
            });
        }
        catch (UsageException e)
        {
            await Stderr.LineAsync($"leakguard: {e.Message}");
            return Error;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Stderr.LineAsync($"leakguard: {e.Message}");
            return Error;
        }
    }
}
