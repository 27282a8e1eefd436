using Orleans;
using Orleans.Runtime;

namespace LeakGuard.Service.Cluster;

/// <summary>One watched target, keyed by its name: Orleans keeps one activation per key in the
/// whole cluster, so exactly one silo polls each target.</summary>
public interface ITargetGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the target is watched: registers its reminder, which brings the grain
    /// back on another silo when the one it ran on dies.</summary>
    Task WatchAsync();
}

/// <summary>
/// Polls its target for as long as it is active: the activation runs the target's watcher loop
/// (<see cref="Watch.TargetWatcher.RunAsync"/>), whose release jobs are placed across the cluster.
/// The reminder, kept in the cluster's reminder table, is what revives it: it ticks every
/// <see cref="KeepAlive"/>, which keeps the activation from being collected as idle and, once the
/// silo it ran on is declared dead, activates it on a live one.
/// </summary>
internal sealed class TargetGrain(WatchRuntime runtime, IGrainFactory grains) : Grain, ITargetGrain, IRemindable
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    private const string ReminderName = "watch";

    private CancellationTokenSource? stop;
    private Task? loop;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string name = this.GetPrimaryKeyString();
        if (runtime.Target(name) is not { } target)
        {
            // Removed from this silo's targets: its reminder goes, and nothing revives it.
            runtime.Logger.Warning("{Target}: not among this worker's targets: no longer watched", name);
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
            DeactivateOnIdle();
            return;
        }
        stop = CancellationTokenSource.CreateLinkedTokenSource(runtime.Stopping);
        var watcher = runtime.Watcher(target, new ClusterReleaseJobs(grains));
        runtime.Logger.Information("{Target}: watched by silo {Silo}", name, RuntimeIdentity);
        // Off the grain's scheduler: the loop waits and scans for as long as the activation lives.
        loop = Task.Run(() => watcher.RunAsync(stop.Token), CancellationToken.None);
    }

    /// <summary>Every silo enrols every target at start: a read each, and a write only for a
    /// target the reminder table does not have yet.</summary>
    public async Task WatchAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, KeepAlive, KeepAlive);
        }
    }

    /// <summary>Nothing to do: the tick's work was activating the grain, if it was not active.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    /// <summary>The loop stops polling at once; a scan in progress gets the shutdown grace.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (stop is null || loop is null)
        {
            return;
        }
        await stop.CancelAsync();
        await loop.WaitAsync(runtime.ShutdownGrace + TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }
}
