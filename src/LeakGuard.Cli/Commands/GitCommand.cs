using System.CommandLine;
using LeakGuard.Core;

namespace LeakGuard.Cli.Commands;

/// <summary>
/// <c>leakguard git --staged</c>: the pre-commit check. It is a scan of the <c>git-staged:</c>
/// target, so every scan option (rules, format, --fail-on…) works here too and means the same,
/// except those that handle found secrets in clear (--show-secrets, --validate): a hook's output
/// lands in terminals and CI logs, and a commit should not call providers.
/// </summary>
internal static class GitCommand
{
    public static Command Create()
    {
        var staged = new Option<bool>("--staged") { Description = "Scan what the index adds compared with HEAD (new or changed files)" };
        var repository = new Option<string>("--repo")
        {
            Description = "The repository (or a folder inside it)",
            DefaultValueFactory = _ => ".",
        };
        var command = new Command("git", "Scan what is about to be committed; exits 1 on findings (any scan option may follow)")
        {
            staged, repository,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parsed, cancellation) =>
        {
            if (!parsed.GetValue(staged))
            {
                throw new UsageException("git: say what to scan: --staged (for history, use: leakguard scan git:PATH)");
            }
            var scan = ScanCommand.Create(secretsInClear: false).Parse([$"git-staged:{parsed.GetValue(repository)}", .. parsed.UnmatchedTokens]);
            if (scan.Errors.Count > 0)
            {
                throw new UsageException(scan.Errors[0].Message);
            }
            return await scan.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellation);
        });
        return command;
    }
}
