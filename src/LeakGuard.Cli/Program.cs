using LeakGuard.Cli;

return await LeakGuardCommand.RunAsync(args);
