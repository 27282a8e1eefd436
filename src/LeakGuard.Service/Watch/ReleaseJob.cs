using LeakGuard.Core.Scanning;
using LeakGuard.Service.Configuration;
using Orleans;
using Orleans.Concurrency;

namespace LeakGuard.Service.Watch;

/// <summary>A target as a release job carries it to whichever silo runs the job: what that silo
/// needs to list and download one version as <c>scan</c> would.</summary>
[GenerateSerializer, Immutable]
public sealed record JobTarget
{
    [Id(0)] public required TargetKind Kind { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public Uri? Feed { get; init; }
    [Id(3)] public TimeSpan Timeout { get; init; } = TargetSettings.DefaultTimeout;
    [Id(4)] public bool Validate { get; init; }
    [Id(5)] public bool OpenSource { get; init; }

    public static JobTarget From(TargetSettings target) => new()
    {
        Kind = target.Kind,
        Name = target.Name,
        Feed = target.Feed,
        Timeout = target.Timeout,
        Validate = target.Validate,
        OpenSource = target.OpenSource,
    };

    public TargetSettings ToSettings() => new(Kind, Name, TargetSettings.DefaultEvery, Feed, 0)
    {
        Timeout = Timeout,
        Validate = Validate,
        OpenSource = OpenSource,
    };

    /// <summary>The target narrowed to one version of one package (<c>@acme/cli@1.2.0</c>).</summary>
    public TargetSettings ForVersion(string package, string version) => ToSettings() with { Name = $"{package}@{version}" };
}

/// <summary>One version of one package to scan, compare with the version before it and record:
/// the unit of work the cluster places on a silo.</summary>
/// <param name="TargetName">The target as the store names it (credentials dropped).</param>
/// <param name="Backfill">Part of a target's first poll: it yields a silo's last scan slot to new releases.</param>
/// <param name="Sweep">The sweep it is part of, which its findings name (<c>details.sweep</c>).</param>
[GenerateSerializer, Immutable]
public sealed record ReleaseJob(
    [property: Id(0)] JobTarget Target,
    [property: Id(1)] string TargetName,
    [property: Id(2)] string Package,
    [property: Id(3)] string Version,
    [property: Id(4)] bool Backfill,
    [property: Id(5)] long? Sweep = null);

/// <summary>What a release job did: the manifest recorded, or why the version could not be scanned.</summary>
[GenerateSerializer, Immutable]
public sealed record ReleaseJobResult(
    [property: Id(0)] string? Manifest,
    [property: Id(1)] string? Failure,
    [property: Id(2)] long Bytes,
    [property: Id(3)] int NewFindings);

/// <summary>Runs release jobs: on a silo the cluster picks, or here (the in-process tests).</summary>
internal interface IReleaseJobs
{
    /// <param name="listed">The version as this poll listed it; a job that runs elsewhere lists it again there.</param>
    /// <param name="abandon">Stops the scan; nothing of it is recorded.</param>
    Task<ReleaseJobResult> RunAsync(ReleaseJob job, SourceItem listed, CancellationToken abandon);
}

/// <summary>Release jobs run by this process's own runner, on the item the poll listed.</summary>
internal sealed class InProcessReleaseJobs(ReleaseJobRunner runner) : IReleaseJobs
{
    public Task<ReleaseJobResult> RunAsync(ReleaseJob job, SourceItem listed, CancellationToken abandon) => runner.RunAsync(job, listed, abandon);
}
