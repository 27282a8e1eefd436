using LeakGuard.Core.Scanning;
using LeakGuard.Validation;

namespace LeakGuard.Cli.Watch;

/// <summary>
/// The scan session every watcher shares: the same pipeline as <c>leakguard scan</c>. One scan
/// runs at a time: the machine this runs on is small, and the watchers of a quiet service rarely
/// have work at the same moment. With <paramref name="protectedCode"/>, the session is replaced
/// (between scans) when the store's protected-code index changes. With <paramref name="validation"/>,
/// a scan asked to validate sends each found secret that has a validator to its provider.
/// </summary>
internal sealed class WatchScanner(ScanSession session, StoreProtectedCode? protectedCode = null, ValidationEndpoints? validation = null)
    : IDisposable
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private readonly ScanSession given = session;
    private ScanSession current = session;

    /// <summary>Packages larger than this are not downloaded: they are archives, read whole
    /// (<see cref="ScanOptions.MemberLimit"/>: 256 MiB, or --max-file-size when lower).</summary>
    public long MaxPackageSize => current.Settings.Limits.MemberLimit;

    /// <param name="observer">Sees every file of the scan (a release's file inventory), or null.</param>
    /// <param name="validate">Ask providers whether the secrets found work (a target's <c>validate: true</c>);
    /// how many were asked and what they said is in the result's notes.</param>
    /// <exception cref="OperationCanceledException">When stopped mid-scan: the caller then records
    /// nothing of it, and it runs again on the next start.</exception>
    public async Task<ScanResult> ScanAsync(IEnumerable<SourceItem> items, IBlobObserver? observer, CancellationToken cancellation, bool validate = false)
    {
        await oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (protectedCode is not null && await protectedCode.ChangedSessionAsync(cancellation).ConfigureAwait(false) is { } changed)
            {
                // The session this scanner was given belongs to its creator; the ones it opened are its own.
                if (!ReferenceEquals(current, given))
                {
                    current.Dispose();
                }
                current = changed;
            }
            var scanning = current;
            // Secrets are kept in clear only for validation, in memory, for this one scan.
            var vault = validate && validation is not null ? new SecretVault(scanning.Rules.All) : null;
            // A scan blocked in a read (a download that hangs) does not see its token: stop waiting
            // for it instead. Only shutdown abandons scans, so nothing runs beside the one left behind for long.
            var result = await Task.Run(() => scanning.Scan(items, observer, cancellation: cancellation, secrets: vault, keepCompanions: vault is not null).Result,
                cancellation).WaitAsync(cancellation).ConfigureAwait(false);
            if (vault is null)
            {
                return result;
            }
            var notes = result.Notes.ToList();
            result = await Task.Run(() => ScanValidation.Run(result, vault, onlyLive: false, validation!, notes, cancellation: cancellation), cancellation)
                .ConfigureAwait(false);
            return result with { Findings = CompanionRules.Drop(result.Findings, scanning.Rules), Notes = notes };
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(current, given))
        {
            current.Dispose();
        }
        oneAtATime.Dispose();
    }
}
