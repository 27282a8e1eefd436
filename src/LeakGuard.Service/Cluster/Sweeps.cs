using LeakGuard.Service.Configuration;
using LeakGuard.Service.Watch;
using LeakGuard.Sources.Targets;
using Orleans;

namespace LeakGuard.Service.Cluster;

/// <summary>
/// On-demand sweeps (<c>POST /api/scans</c>) of any target <c>scan</c> takes: each a
/// <see cref="SweepGrain"/> with a cluster-wide id, whose release jobs are placed across the
/// silos. Any silo's API starts one and reports on any, since the state is the grain's.
/// </summary>
internal sealed class Sweeps(IGrainFactory grains)
{
    /// <summary>Starts a sweep of <paramref name="target"/> (as <c>scan</c> names it:
    /// <c>npm:@acme/*@all</c>, <c>nuget:Acme.Client@&gt;=3</c>, <c>git:URL</c>, <c>web:URL</c>).</summary>
    /// <param name="feed">npm's registry or NuGet's source, when not the default.</param>
    /// <exception cref="ArgumentException">The target is not one a sweep can scan (the message says why).</exception>
    public async Task<SweepState> StartAsync(string target, Uri? feed)
    {
        var settings = Settings(target, feed);
        try
        {
            Targets.Validate([TargetWatcher.ScanTargetName(settings)]);
        }
        catch (Core.UsageException e)
        {
            throw new ArgumentException(e.Message, nameof(target), e);
        }
        long id = await grains.GetGrain<ISweepIdsGrain>(0).NextAsync().ConfigureAwait(false);
        return await grains.GetGrain<ISweepGrain>(id).StartAsync(JobTarget.From(settings), TargetWatcher.StoredName(settings)).ConfigureAwait(false);
    }

    public Task<SweepState?> GetAsync(long id) => grains.GetGrain<ISweepGrain>(id).GetAsync();

    private static TargetSettings Settings(string target, Uri? feed)
    {
        int colon = target.IndexOf(':');
        // github: is a watched target only; scan has no such target to sweep.
        var kind = colon < 0 ? null : TargetSettings.KindNamed(target[..colon]);
        if (kind is not { } known || known == TargetKind.GitHub || colon == target.Length - 1)
        {
            throw new ArgumentException($"'{target}': name a target as scan does: npm:PACKAGE[@VERSIONS], nuget:ID[@VERSIONS], git:URL or web:URL", nameof(target));
        }
        if (feed is not null && known is not (TargetKind.Npm or TargetKind.NuGet))
        {
            throw new ArgumentException("registry: only npm and NuGet targets have one", nameof(feed));
        }
        return new TargetSettings(known, target[(colon + 1)..], TargetSettings.DefaultEvery, feed, 0);
    }
}
