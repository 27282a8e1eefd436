using Microsoft.Extensions.Hosting;

namespace LeakGuard.Cli.Watch;

/// <summary>Runs a loop that takes a stopping token (the alert delivery loop) as a hosted service.</summary>
internal sealed class HostedLoop(Func<CancellationToken, Task> loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop(stoppingToken);
}
