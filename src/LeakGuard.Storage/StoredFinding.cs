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
/// <param name="Validation">For <see cref="FindingEventKind.Validation"/>: live, invalid, or revoked
/// (invalid after having been live: a rotation confirmed).</param>
public sealed record FindingEvent(DateTimeOffset At, FindingEventKind Kind, TriageStatus? Status, string? Actor, string? Validation = null);

public enum FindingEventKind
{
    /// <summary>First recorded by a scan.</summary>
    Found,

    /// <summary>Its triage status changed.</summary>
    Status,

    /// <summary>Its provider's answer changed (validate: true targets).</summary>
    Validation,
}

/// <summary>What a provider's answer changed on a stored finding.</summary>
public enum ValidationChange
{
    /// <summary>Nothing definite: the same answer again, or no clear answer.</summary>
    None,

    /// <summary>A definite answer where there was none, or a change other than the two below.</summary>
    First,

    /// <summary>Live before, invalid now: the credential was rotated.</summary>
    Revoked,

    /// <summary>Invalid before, live now: it alerts again.</summary>
    LiveAgain,
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
    StoredFinding Finding)
{
    public const string NewFinding = "finding.new";

    /// <summary>A credential its provider had refused works again.</summary>
    public const string LiveAgain = "finding.live-again";

    /// <summary>A resolved finding that a scan found again: reopened.</summary>
    public const string Reopened = "finding.reopened";

    /// <summary>What the alert is about: <see cref="NewFinding"/>, <see cref="LiveAgain"/> or <see cref="Reopened"/>.</summary>
    public string Event { get; init; } = NewFinding;
}

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
