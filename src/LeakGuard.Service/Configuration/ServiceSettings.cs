using System.Net;
using LeakGuard.Core.Findings;

namespace LeakGuard.Service.Configuration;

/// <summary>A validated <c>leakguard.yaml</c>: everything <c>leakguard watch</c> needs to start.</summary>
public sealed record ServiceSettings(
    string Store,
    IReadOnlyList<TargetSettings> Targets,
    IReadOnlyList<AlertSettings> Alerts,
    ApiSettings Api)
{
    public const string DefaultStore = "sqlite:~/.leakguard/leakguard.db";

    /// <summary>How this worker joins the cluster (<c>cluster:</c>).</summary>
    public ClusterSettings Cluster { get; init; } = new(null, null);

    /// <summary>What was ignored (unknown keys), each naming its line: for the log at start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

public enum TargetKind
{
    Npm,
    NuGet,
    Git,
    GitHub,
    Web,
}

/// <summary>One watched target. <paramref name="Feed"/> is the npm registry, NuGet source or GitHub
/// API root (GitHub Enterprise Server), when given.</summary>
/// <param name="Line">Where the target starts in the file, so later messages can point at it.</param>
public sealed record TargetSettings(TargetKind Kind, string Name, TimeSpan Every, Uri? Feed, long Line)
{
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromMinutes(5);

    /// <summary>As <c>scan</c> has it: long enough for a large tarball on a slow link.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>npm and NuGet: how long one HTTP attempt may take, its body included.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>web: a site whose served code is open source (its source maps are then low).</summary>
    public bool OpenSource { get; init; }

    /// <summary>Ask each found secret's provider whether it works (<c>validate: true</c>; off by
    /// default, since it sends the secret to its provider), and ask again on a schedule.</summary>
    public bool Validate { get; init; }

    public static readonly TimeSpan DefaultRevalidate = TimeSpan.FromDays(1);

    /// <summary>How long a validated finding's answer stands before its provider is asked again
    /// (<c>revalidate:</c>, with <c>validate: true</c> and <c>$LEAKGUARD_SEAL_KEY</c>).</summary>
    public TimeSpan Revalidate { get; init; } = DefaultRevalidate;

    /// <summary>npm and NuGet: which of the versions already published the target's first poll scans.</summary>
    public Backfill Backfill { get; init; } = Backfill.All;

    /// <summary>The kind a target's key or prefix names (<c>npm</c>, <c>nuget</c>, <c>git</c>,
    /// <c>github</c>, <c>web</c>, as <see cref="DisplayName"/> spells it), or null.</summary>
    public static TargetKind? KindNamed(string name) => name switch
    {
        "npm" => TargetKind.Npm,
        "nuget" => TargetKind.NuGet,
        "git" => TargetKind.Git,
        "github" => TargetKind.GitHub,
        "web" => TargetKind.Web,
        _ => null,
    };

    /// <summary>The target as the CLI spells it (<c>npm:@acme/*</c>), used in logs, metrics and alerts.</summary>
    public string DisplayName => $"{Kind.ToString().ToLowerInvariant()}:{Name}";

    /// <summary>npm and NuGet: the versions named after the package (<c>left-pad@&gt;=1.3.0</c>,
    /// <c>@acme/*@^2</c>), or null for every version.</summary>
    public string? VersionSpec => Kind is TargetKind.Npm or TargetKind.NuGet ? SplitVersion(Name).Spec : null;

    /// <summary>A package name and the version spec after its last '@' (a scope's leading '@' is the name's).</summary>
    public static (string Package, string? Spec) SplitVersion(string name)
    {
        int at = name.LastIndexOf('@');
        return at > 0 ? (name[..at], name[(at + 1)..]) : (name, null);
    }
}

/// <summary>What a package target's first poll does with the versions published before it
/// (<c>backfill:</c>); every release after it is scanned whatever this says.</summary>
public enum Backfill
{
    /// <summary>Scan every one (the default: a first watch is also an audit of what shipped).</summary>
    All,

    /// <summary>Scan the newest of each package; record the others without scanning them.</summary>
    Latest,

    /// <summary>Record them all without scanning: only releases from now on are scanned.</summary>
    None,
}

public enum AlertChannelKind
{
    Webhook,
    Slack,
    File,
}

/// <param name="Destination">A URL for webhook and Slack, a file path for file.</param>
/// <param name="SigningSecret">The webhook's HMAC key, read from the environment variable the config names.</param>
/// <param name="Timeout">How long one webhook or Slack attempt may take; null for the default (15 s). File channels have none.</param>
public sealed record AlertSettings(AlertChannelKind Kind, string Destination, Severity MinSeverity, string? SigningSecret, long Line, TimeSpan? Timeout = null);

/// <summary>
/// The worker as a silo of the cluster. With a PostgreSQL store every worker on that store is one
/// cluster; with SQLite the worker is a cluster of one.
/// </summary>
/// <param name="Listen">Where this silo listens and how the others reach it (<c>cluster.listen</c>);
/// null: 127.0.0.1:11111 on PostgreSQL, a free loopback port on SQLite.</param>
/// <param name="Jobs">Scans this silo runs at once (<c>cluster.jobs</c>); null: from its memory.</param>
public sealed record ClusterSettings(IPEndPoint? Listen, int? Jobs)
{
    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 11111);
}

public sealed record ApiSettings(IPEndPoint Listen)
{
    /// <summary>Loopback only unless the operator says otherwise: the API exposes findings.</summary>
    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 8088);
}
