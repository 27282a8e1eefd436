using Microsoft.Extensions.Hosting;

namespace LeakGuard.Service.Watch;

/// <summary>
/// Runs a loop that takes a stopping token (a target's watcher, the alert delivery loop) as a
/// hosted service, once <paramref name="startAfter"/> has completed: the host starts hosted
/// services before Kestrel binds, and the loops wait for the whole host, so a port already taken
/// stops the service before any scan.
/// </summary>
internal sealed class HostedLoop(Task startAfter, Func<CancellationToken, Task> loop) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await startAfter.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await loop(stoppingToken).ConfigureAwait(false);
    }
}
