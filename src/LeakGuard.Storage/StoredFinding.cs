using LeakGuard.Core.Findings;

namespace LeakGuard.Storage;

/// <summary>A finding as the store keeps it: one row per (target, fingerprint), however many
/// scans saw it.</summary>
public sealed record StoredFinding(
    long Id,
    string Target,
    Finding Finding,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    TriageStatus Status);

/// <summary>One entry of a finding's history.</summary>
/// <param name="Status">The status set, for <see cref="FindingEventKind.Status"/>.</param>
/// <param name="Actor">Who set it, as the caller named itself (the API key, a triage page session).</param>
public sealed record FindingEvent(DateTimeOffset At, FindingEventKind Kind, TriageStatus? Status, string? Actor);

public enum FindingEventKind
{
    /// <summary>First recorded by a scan.</summary>
    Found,

    /// <summary>Its triage status changed.</summary>
    Status,
}

/// <summary>Failed attempts at scanning one package version: how many, the latest reason, and
/// when it was recorded as failed (null while it is still tried again).</summary>
public sealed record ReleaseFailure(int Attempts, string Reason, DateTimeOffset? FailedAt)
{
    public bool Failed => FailedAt is not null;
}

/// <summary>Where alerts go, and the least severe new finding it wants to hear about.</summary>
public sealed record AlertChannel(string Name, Severity MinimumSeverity);

/// <summary>One alert to deliver, claimed under a lease: if the claimer dies, the lease runs out
/// and another claim picks the message up again.</summary>
/// <param name="ClaimToken">Names this claim, so a claimer whose lease ran out cannot reschedule
/// a message that another claimer now holds.</param>
public sealed record OutboxMessage(
    long Id,
    string Channel,
    int FailedAttempts,
    DateTimeOffset LeaseUntil,
    string ClaimToken,
    StoredFinding Finding);

/// <summary>Filters for listing findings; every filter left null matches everything.</summary>
public sealed record FindingQuery
{
    public const int MaxLimit = 1000;

    /// <summary>At least this severe.</summary>
    public Severity? MinimumSeverity { get; init; }
    public TriageStatus? Status { get; init; }
    public string? Target { get; init; }

    public FindingKind? Kind { get; init; }

    public string? RuleId { get; init; }

    /// <summary>At least this likely to be real.</summary>
    public Confidence? MinimumConfidence { get; init; }

    /// <summary>First seen at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Paging cursor: only findings with a larger id (results are in id order).</summary>
    public long? AfterId { get; init; }

    /// <summary>Clamped to 1..<see cref="MaxLimit"/> so one request cannot read the whole table.</summary>
    public int Limit { get; init; } = 100;
}
