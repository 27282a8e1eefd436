using LeakGuard.Service.Configuration;
using LeakGuard.Sources.Http;

namespace LeakGuard.Service.Watch;

/// <summary>How the worker bounds a package target's registry: its <c>timeout:</c> per attempt and
/// fewer retries than <c>scan</c> makes; a package larger than what the scanner
/// holds of an archive is not downloaded, as it would not be expanded.</summary>
internal static class WatchDownloadLimits
{
    /// <summary>One quick retry rides out a dropped connection or a single 503; anything longer is
    /// left to the next poll, which tries again anyway. More would cost the others: tarballs are
    /// downloaded inside the one scan that runs at a time, so a registry that hangs holds every
    /// target for (1 + retries) × timeout.</summary>
    public const int Retries = 1;

    public static DownloadLimits For(TargetSettings target, long maxPackageBytes) =>
        new() { AttemptTimeout = target.Timeout, MaxRetries = Retries, MaxPackageBytes = maxPackageBytes };
}
