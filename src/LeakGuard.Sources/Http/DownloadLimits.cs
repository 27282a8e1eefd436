namespace LeakGuard.Sources.Http;

/// <summary>Bounds on what a registry may send: registries are outside input, and a hostile or
/// broken one must not exhaust memory or hang a scan.</summary>
public sealed record DownloadLimits
{
    public const long MiB = 1024 * 1024;

    /// <summary>Metadata documents (packuments, service indexes, version lists). The largest real
    /// packuments on the public npm registry are tens of MiB.</summary>
    public long MaxMetadataBytes { get; init; } = 128 * MiB;

    /// <summary>One package file (tarball or nupkg).</summary>
    public long MaxPackageBytes { get; init; } = 512 * MiB;

    /// <summary>One attempt, including reading the body.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries after the first attempt, for timeouts, 429 and 5xx.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; it doubles on each retry (with jitter).</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
