using LeakGuard.Core.Findings;

namespace LeakGuard.Storage;

/// <summary>Everything the worker and the HTTP API keep between runs. A target is the string the
/// user configured (e.g. <c>npm:@acme/cli</c>, <c>git:https://…</c>); the store only compares it.</summary>
public interface ILeakGuardStore : IAsyncDisposable
{
    /// <summary>The newest schema migration applied to this database.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellation = default);

    /// <summary>The key this store's fingerprints are made with: the one it keeps, or
    /// <paramref name="proposed"/> when it keeps none yet, kept from then on. Workers sharing a
    /// store agree on it: the first to propose one wins.</summary>
    Task<string> GetFingerprintKeyAsync(string proposed, CancellationToken cancellation = default);

    /// <summary>The digest of the protected-code index the store shares with its workers, or null
    /// when it holds none: cheap to ask before each scan.</summary>
    Task<string?> GetProtectedIndexDigestAsync(CancellationToken cancellation = default);

    /// <summary>The protected-code index the store holds (<c>protect push</c>), or null.</summary>
    Task<StoredProtectedIndex?> GetProtectedIndexAsync(CancellationToken cancellation = default);

    /// <summary>Replaces the protected-code index the store holds; returns its digest.</summary>
    Task<string> SetProtectedIndexAsync(byte[] content, CancellationToken cancellation = default);

    /// <summary>Findings of <paramref name="target"/> whose secret was sealed for asking again, not
    /// marked false positive, last validated before <paramref name="before"/> (or never): the
    /// longest-waiting first, at most <paramref name="limit"/>, each with its sealed secret.</summary>
    Task<IReadOnlyList<(StoredFinding Finding, string SealedSecret)>> GetFindingsToRevalidateAsync(string target, DateTimeOffset before, int limit,
        CancellationToken cancellation = default);

    /// <summary>Records a provider's newer answer for a stored finding (with the severity and
    /// confidence it implies): kept, entered in the history when it changed, and alerted when a
    /// refused credential works again.</summary>
    Task<ValidationChange> RecordValidationAsync(long findingId, ValidationResult validation, Severity severity, Confidence confidence,
        IReadOnlyList<AlertChannel> channels, CancellationToken cancellation = default);

    /// <summary>The versions of <paramref name="package"/> scanned for this target, each with the
    /// manifest recorded with it (text the store keeps but does not read).</summary>
    Task<IReadOnlyDictionary<string, string>> GetReleasesAsync(string target, string package, CancellationToken cancellation = default);

    /// <summary>Whether the target's first poll has ended (<see cref="MarkPolledAsync"/>).</summary>
    Task<bool> WasPolledAsync(string target, CancellationToken cancellation = default);

    /// <summary>Records that the target's first poll ended; later calls change nothing.</summary>
    Task MarkPolledAsync(string target, CancellationToken cancellation = default);

    /// <summary>Remembers a scanned version; recording it again replaces its manifest. Failed
    /// attempts recorded for it before are forgotten.</summary>
    Task RecordReleaseAsync(string target, string package, string version, string manifest, CancellationToken cancellation = default);

    /// <summary>Counts one failed attempt at scanning a version, with its reason (the latest is
    /// kept). The attempt that reaches <paramref name="maxAttempts"/> records the version as failed.</summary>
    Task<ReleaseFailure> RecordReleaseFailureAsync(string target, string package, string version, string reason, int maxAttempts,
        CancellationToken cancellation = default);

    /// <summary>The versions of <paramref name="package"/> with failed attempts and not scanned since.</summary>
    Task<IReadOnlyDictionary<string, ReleaseFailure>> GetReleaseFailuresAsync(string target, string package, CancellationToken cancellation = default);

    /// <summary>The last scanned commit of each ref of a git target.</summary>
    Task<IReadOnlyDictionary<string, string>> GetLastCommitsAsync(string target, CancellationToken cancellation = default);

    Task SetLastCommitAsync(string target, string refName, string commit, CancellationToken cancellation = default);

    /// <summary>Which of <paramref name="blobIds"/> were already scanned for this target.</summary>
    Task<IReadOnlySet<string>> GetScannedBlobsAsync(string target, IReadOnlyCollection<string> blobIds, CancellationToken cancellation = default);

    Task AddScannedBlobsAsync(string target, IReadOnlyCollection<string> blobIds, CancellationToken cancellation = default);

    /// <summary>Records what one scan of <paramref name="target"/> found, in one transaction. A
    /// fingerprint already stored for the target only moves its last-seen time (and, when it was
    /// <c>resolved</c>, reopens it and alerts once more); a new one is stored as <c>open</c> and
    /// gets an outbox message for every channel whose minimum severity it reaches. Returns the
    /// findings that were new.</summary>
    /// <param name="sealedSecret">For a target whose findings are validated again on a schedule:
    /// each finding's secret, sealed (<c>SecretSeal</c>), or null.</param>
    Task<IReadOnlyList<StoredFinding>> RecordScanAsync(
        string target, IReadOnlyList<Finding> findings, IReadOnlyList<AlertChannel> channels, CancellationToken cancellation = default,
        Func<Finding, string?>? sealedSecret = null);

    Task<IReadOnlyList<StoredFinding>> QueryFindingsAsync(FindingQuery query, CancellationToken cancellation = default);

    /// <summary>Null when no finding has that id.</summary>
    Task<StoredFinding?> GetFindingAsync(long findingId, CancellationToken cancellation = default);

    /// <summary>False when no finding has that id. An undefined status value throws. A change of
    /// status is added to the finding's history with <paramref name="actor"/> (how the caller
    /// signed in); setting the status it already has changes nothing.</summary>
    Task<bool> SetTriageStatusAsync(long findingId, TriageStatus status, string actor, CancellationToken cancellation = default);

    /// <summary>What happened to a finding, oldest first: when it was found, then each change of
    /// its status. Empty when no finding has that id.</summary>
    Task<IReadOnlyList<FindingEvent>> GetFindingHistoryAsync(long findingId, CancellationToken cancellation = default);

    /// <summary>Claims up to <paramref name="maxCount"/> undelivered messages that are due and not
    /// under someone else's unexpired lease, oldest first, for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimDueAlertsAsync(int maxCount, TimeSpan lease, CancellationToken cancellation = default);

    /// <summary>Delivered is final, even when reported after the lease ran out: the alert did arrive.</summary>
    Task MarkDeliveredAsync(long messageId, CancellationToken cancellation = default);

    /// <summary>Releases the claim and schedules the next attempt; the caller computes the backoff.
    /// Ignored when the message has since been claimed by someone else or delivered.</summary>
    Task MarkFailedAsync(OutboxMessage message, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellation = default);

    /// <summary>Messages not yet delivered, due or not.</summary>
    Task<long> CountBacklogAsync(CancellationToken cancellation = default);
}
