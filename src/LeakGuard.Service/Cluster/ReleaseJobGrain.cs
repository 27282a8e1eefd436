using LeakGuard.Core.Scanning;
using LeakGuard.Service.Watch;
using LeakGuard.Sources.Targets;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace LeakGuard.Service.Cluster;

/// <summary>One release job: each job is a new grain (a new key), placed anew.</summary>
public interface IReleaseJobGrain : IGrainWithGuidKey
{
    Task<ReleaseJobResult> RunAsync(ReleaseJob job, CancellationToken cancellation);
}

/// <summary>
/// Runs a release job on the silo it was placed on: lists the one version again there (the item
/// a poll listed holds a download that cannot travel), then scans and records it with that silo's
/// runner, within its scan slots. Random placement: jobs are alike and short, and random spreads
/// them over the silos without waiting for load statistics to catch up with a burst of releases.
/// A silo that dies mid-job fails the caller's call; the version is not recorded, so the target's
/// next poll places it again.
/// </summary>
[RandomPlacement]
internal sealed class ReleaseJobGrain(WatchRuntime runtime) : Grain, IReleaseJobGrain
{
    public async Task<ReleaseJobResult> RunAsync(ReleaseJob job, CancellationToken cancellation)
    {
        try
        {
            return await Task.Run(() => RunHereAsync(job, cancellation), cancellation);
        }
        finally
        {
            // A job is done once: its activation goes with it.
            DeactivateOnIdle();
        }
    }

    private async Task<ReleaseJobResult> RunHereAsync(ReleaseJob job, CancellationToken cancellation)
    {
        var runner = runtime.Runner;
        string? firstWarning = null;
        ResolvedTargets resolved;
        try
        {
            // Listing and downloading warn as the watcher's own listing does (a tarball that is not gzip).
            resolved = TargetListing.Resolve(job.Target.ForVersion(job.Package, job.Version), runner.Scanner.MaxPackageSize, null, (path, message) =>
            {
                firstWarning ??= $"{path}: {message}";
                runner.Warn(job.TargetName, path, message);
            });
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return new ReleaseJobResult(null, $"{job.Package}@{job.Version}: could not be listed ({e.Message})", 0, 0);
        }
        using (resolved)
        {
            var item = resolved.PackageVersions.FirstOrDefault(i => i.Origin?.Package == job.Package && i.Origin?.Version == job.Version);
            if (item is null)
            {
                return new ReleaseJobResult(null, firstWarning ?? $"{job.Package}@{job.Version}: no longer listed", 0, 0);
            }
            runtime.Logger.Information("{Target}: job {Package}@{Version} on silo {Silo}", job.TargetName, job.Package, job.Version, RuntimeIdentity);
            return await runner.RunAsync(job, item, cancellation);
        }
    }
}

/// <summary>Release jobs placed on the cluster's silos, each as a new <see cref="IReleaseJobGrain"/>.</summary>
internal sealed class ClusterReleaseJobs(IGrainFactory grains) : IReleaseJobs
{
    public Task<ReleaseJobResult> RunAsync(ReleaseJob job, SourceItem listed, CancellationToken abandon) =>
        grains.GetGrain<IReleaseJobGrain>(Guid.NewGuid()).RunAsync(job, abandon);
}
