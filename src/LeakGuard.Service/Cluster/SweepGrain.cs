using LeakGuard.Core.Findings;
using LeakGuard.Service.Configuration;
using LeakGuard.Service.Watch;
using Orleans;
using Orleans.Runtime;

namespace LeakGuard.Service.Cluster;

/// <summary>A sweep as the store keeps it (grain state) and <c>GET /api/scans/{id}</c> shows it.</summary>
[GenerateSerializer]
public sealed record SweepState
{
    [Id(0)] public long Id { get; init; }
    /// <summary>The target as the store names it (credentials dropped).</summary>
    [Id(1)] public string Target { get; init; } = "";
    [Id(2)] public JobTarget? Job { get; init; }
    /// <summary>running, done or failed.</summary>
    [Id(3)] public string Status { get; init; } = "running";
    [Id(4)] public DateTimeOffset StartedAt { get; init; }
    [Id(5)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Releases, commit batches or deploys scanned so far.</summary>
    [Id(6)] public long Scans { get; init; }
    [Id(7)] public long Bytes { get; init; }
    [Id(8)] public long NewFindings { get; init; }
    [Id(9)] public string? Error { get; init; }
}

/// <summary>One sweep, keyed by its id.</summary>
public interface ISweepGrain : IGrainWithIntegerKey
{
    Task<SweepState> StartAsync(JobTarget target, string name);

    /// <summary>Null for an id no sweep has.</summary>
    Task<SweepState?> GetAsync();

    Task ScannedAsync(long bytes, int newFindings);

    /// <param name="error">Why it failed, or null when it is done.</param>
    Task FinishAsync(string? error);
}

/// <summary>Hands out sweep ids, cluster-wide (the one key 0).</summary>
public interface ISweepIdsGrain : IGrainWithIntegerKey
{
    Task<long> NextAsync();
}

/// <summary>The grain storage sweeps are kept in: the store's database on PostgreSQL, memory on SQLite.</summary>
internal static class SweepStorage
{
    public const string Name = "sweeps";
}

internal sealed class SweepIdsGrain([PersistentState("sweep-ids", SweepStorage.Name)] IPersistentState<long> last) : Grain, ISweepIdsGrain
{
    public async Task<long> NextAsync()
    {
        last.State++;
        await last.WriteStateAsync();
        return last.State;
    }
}

/// <summary>
/// Runs one sweep as one poll of a watcher made for its target, on the silo the grain is active
/// on; its release jobs are placed across the cluster like a watched target's, recorded in the
/// store under the target's name and alerted under the same rules. The state is kept in grain
/// storage at each step, and a reminder ticks while the sweep runs: when the silo running it
/// dies, the reminder activates it on another, which polls again (what was recorded is skipped).
/// </summary>
internal sealed class SweepGrain(WatchRuntime runtime, IGrainFactory grains,
    [PersistentState("sweep", SweepStorage.Name)] IPersistentState<SweepState> sweep) : Grain, ISweepGrain, IRemindable
{
    private const string ReminderName = "sweep";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (sweep.RecordExists && sweep.State.Status == "running")
        {
            runtime.Logger.Information("sweep {Id}: {Target}: taken up by silo {Silo}", sweep.State.Id, sweep.State.Target, RuntimeIdentity);
            Run();
        }
        return Task.CompletedTask;
    }

    public async Task<SweepState> StartAsync(JobTarget target, string name)
    {
        if (sweep.RecordExists)
        {
            return sweep.State;
        }
        sweep.State = new SweepState { Id = this.GetPrimaryKeyLong(), Target = name, Job = target, StartedAt = DateTimeOffset.UtcNow };
        await sweep.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, TargetGrain.KeepAlive, TargetGrain.KeepAlive);
        runtime.Logger.Information("sweep {Id}: {Target}: started on silo {Silo}", sweep.State.Id, name, RuntimeIdentity);
        Run();
        return sweep.State;
    }

    public Task<SweepState?> GetAsync() => Task.FromResult(sweep.RecordExists ? sweep.State : null);

    public async Task ScannedAsync(long bytes, int newFindings)
    {
        sweep.State = sweep.State with { Scans = sweep.State.Scans + 1, Bytes = sweep.State.Bytes + bytes, NewFindings = sweep.State.NewFindings + newFindings };
        await sweep.WriteStateAsync();
    }

    public async Task FinishAsync(string? error)
    {
        sweep.State = sweep.State with { Status = error is null ? "done" : "failed", Error = error, FinishedAt = DateTimeOffset.UtcNow };
        await sweep.WriteStateAsync();
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        var state = sweep.State;
        runtime.Logger.Information("sweep {Id}: {Target}: {Status}: {Scans} scans, {New} new findings{Error}",
            state.Id, state.Target, state.Status, state.Scans, state.NewFindings, error is null ? "" : $" ({error})");
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    /// <summary>Polls the target once in the background; progress and the end come back as calls to this grain.</summary>
    private void Run()
    {
        var job = sweep.State.Job!;
        var self = this.AsReference<ISweepGrain>();
        var watcher = runtime.Watcher(job.ToSettings(), new ClusterReleaseJobs(grains), self.ScannedAsync, sweep.State.Id);
        var token = runtime.Stopping;
        _ = Task.Run(async () =>
        {
            string? error = null;
            try
            {
                await watcher.PollOnceAsync(token, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The silo is stopping: the sweep stays running, and the reminder takes it up on another silo.
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = RedactedUrl.InText(e.Message);
            }
            await self.FinishAsync(error);
        }, CancellationToken.None);
    }
}
