using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Storage;
using LeakGuard.Validation;

namespace LeakGuard.Service.Watch;

/// <summary>
/// The scan session this silo's watchers and release jobs share: the same pipeline as
/// <c>leakguard scan</c>. At most <paramref name="slots"/> scans run at once (each already uses
/// every core; the limit keeps their memory within the machine's), and a backfill's scans leave
/// one slot (of two or more) to new releases. With <paramref name="protectedCode"/>, the session is replaced,
/// while no scan runs, when the store's protected-code index changes. With <paramref name="validation"/>,
/// a scan asked to validate sends each found secret that has a validator to its provider, and
/// with <paramref name="seal"/> also seals those secrets so they can be asked about again.
/// </summary>
internal sealed class WatchScanner(ScanSession session, StoreProtectedCode? protectedCode = null, ValidationEndpoints? validation = null,
    SecretSeal? seal = null, Service.Api.ServiceMetrics? metrics = null, int slots = 1) : IDisposable
{
    private readonly SemaphoreSlim running = new(slots, slots);
    private readonly SemaphoreSlim backfilling = new(Math.Max(1, slots - 1), Math.Max(1, slots - 1));
    private readonly SemaphoreSlim swapping = new(1, 1);
    private readonly ScanSession given = session;
    private ScanSession current = session;

    /// <summary>The memory one scan may take at its peak: archives are read whole up to 256 MiB,
    /// expanded members and the dedup table beside them.</summary>
    private const long MemoryPerScan = 2L << 30;

    /// <summary>Scans one silo runs at once: one per <see cref="MemoryPerScan"/> of the memory the
    /// runtime may use, at least one and at most one per core.</summary>
    public static int SlotsForThisMachine() =>
        (int)Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / MemoryPerScan, 1, Environment.ProcessorCount);

    /// <summary>Packages larger than this are not downloaded: they are archives, read whole
    /// (<see cref="ScanOptions.MemberLimit"/>: 256 MiB, or --max-file-size when lower).</summary>
    public long MaxPackageSize => current.Settings.Limits.MemberLimit;

    /// <summary>Whether stored findings can be validated again (validation and a seal key).</summary>
    public bool CanRevalidate => validation is not null && seal is not null;

    /// <param name="validate">Ask providers whether the secrets found work (a target's <c>validate: true</c>);
    /// how many were asked and what they said is in the result's notes.</param>
    /// <exception cref="OperationCanceledException">When stopped mid-scan: the caller then records
    /// nothing of it, and it runs again on the next start.</exception>
    /// <param name="backfill">A first poll's versions: with two slots or more, they leave one to new releases.</param>
    public async Task<WatchScan> ScanAsync(IEnumerable<SourceItem> items, IBlobObserver? observer, CancellationToken cancellation, bool validate = false,
        bool backfill = false)
    {
        // Scans wait here for a slot: /metrics shows how many.
        metrics?.ScanQueued();
        try
        {
            if (backfill)
            {
                await backfilling.WaitAsync(cancellation).ConfigureAwait(false);
            }
            try
            {
                await SwapIfChangedAsync(cancellation).ConfigureAwait(false);
                await running.WaitAsync(cancellation).ConfigureAwait(false);
            }
            catch when (backfill)
            {
                backfilling.Release();
                throw;
            }
        }
        finally
        {
            metrics?.ScanDequeued();
        }
        try
        {
            var scanning = current;
            // Secrets are kept in clear only for validation, in memory, for this one scan.
            var vault = validate && validation is not null ? new SecretVault(scanning.Rules.All) : null;
            // A scan blocked in a read (a download that hangs) does not see its token: stop waiting
            // for it instead. Only shutdown abandons scans, so nothing runs beside the one left behind for long.
            var result = await Task.Run(() => scanning.Scan(items, observer, cancellation: cancellation, secrets: vault, keepCompanions: vault is not null).Result,
                cancellation).WaitAsync(cancellation).ConfigureAwait(false);
            if (vault is null)
            {
                return new WatchScan(result);
            }
            var notes = result.Notes.ToList();
            result = await Task.Run(() => ScanValidation.Run(result, vault, onlyLive: false, validation!, notes, cancellation: cancellation), cancellation)
                .ConfigureAwait(false);
            var findings = CompanionRules.Drop(result.Findings, scanning.Rules);
            return new WatchScan(result with { Findings = findings, Notes = notes }, Sealed(findings, result.Findings, vault));
        }
        finally
        {
            running.Release();
            if (backfill)
            {
                backfilling.Release();
            }
        }
    }

    /// <summary>Replaces the session when the store's protected-code index changed, once every
    /// slot is free: the scans still running finish on the session they started with.</summary>
    private async Task SwapIfChangedAsync(CancellationToken cancellation)
    {
        if (protectedCode is null)
        {
            return;
        }
        await swapping.WaitAsync(cancellation).ConfigureAwait(false);
        int held = 0;
        try
        {
            if (await protectedCode.ChangedSessionAsync(cancellation).ConfigureAwait(false) is not { } changed)
            {
                return;
            }
            for (; held < slots; held++)
            {
                await running.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            // The session this scanner was given belongs to its creator; the ones it opened are its own.
            if (!ReferenceEquals(current, given))
            {
                current.Dispose();
            }
            current = changed;
        }
        finally
        {
            if (held > 0)
            {
                running.Release(held);
            }
            swapping.Release();
        }
    }

    /// <summary>The sealed secret of each finding a validator can ask about again: with the values
    /// from the same file it was validated with, when its validator needs them (<paramref name="all"/>
    /// holds the findings those came from). One whose other half was not found is not sealed.</summary>
    private Dictionary<(string RuleId, string Digest), string> Sealed(IReadOnlyList<Finding> findings, IReadOnlyList<Finding> all, SecretVault vault)
    {
        var sealedSecrets = new Dictionary<(string, string), string>();
        if (seal is null)
        {
            return sealedSecrets;
        }
        foreach (var finding in findings)
        {
            if (finding.SecretDigest is not { } digest || !vault.TryGet(finding.RuleId, digest, out var rule, out string secret)
                || rule.Validator is not { } spec)
            {
                continue;
            }
            if (spec is { Pair: null, HostPair: null })
            {
                sealedSecrets.TryAdd((finding.RuleId, digest), seal.Seal(finding.RuleId, secret));
            }
            else if (FindingValidation.Combinations(finding, spec, all, vault) is { Count: > 0 } pairs)
            {
                sealedSecrets.TryAdd((finding.RuleId, digest), seal.Seal(finding.RuleId, new SealedCredential(secret, [.. pairs.Select(p => p.Values)])));
            }
        }
        return sealedSecrets;
    }

    /// <summary>Asks the providers again about stored findings: each opened from its seal (one that
    /// does not open, or whose rule is gone or has no validator, is left out) and validated as a
    /// scan's finding is, a paired one with the values sealed with it. Returns each asked finding's id with the finding as validated.</summary>
    public async Task<IReadOnlyList<(long Id, Finding Finding)>> RevalidateAsync(IReadOnlyList<(StoredFinding Finding, string SealedSecret)> due,
        CancellationToken cancellation)
    {
        if (validation is null || seal is null)
        {
            return [];
        }
        var rules = current.Rules.All.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var vault = new SecretVault(rules.Values);
        var asked = new List<(long Id, Finding Finding)>();
        foreach (var (stored, sealedSecret) in due)
        {
            string ruleId = stored.Finding.RuleId;
            // A paired secret sealed before its values were kept opens without them: it is left out.
            if (rules.GetValueOrDefault(ruleId) is { Validator: { } spec } rule && seal.OpenCredential(ruleId, sealedSecret) is { } credential
                && (credential.Pairs.Count > 0 || spec is { Pair: null, HostPair: null }))
            {
                // The store keeps no digest: the finding's id stands in for it within this batch.
                string digest = $"stored:{stored.Id}";
                vault.Keep(rule, digest, credential);
                asked.Add((stored.Id, stored.Finding with { SecretDigest = digest }));
            }
        }
        var notes = new List<string>();
        var scan = new ScanResult(current.Engine.Name, [.. asked.Select(a => a.Finding)], [], new ScanStats());
        var validated = await Task.Run(() => ScanValidation.Run(scan, vault, onlyLive: false, validation, notes, cancellation: cancellation), cancellation)
            .ConfigureAwait(false);
        return [.. asked.Select((a, i) => (a.Id, validated.Findings[i]))];
    }

    public void Dispose()
    {
        if (!ReferenceEquals(current, given))
        {
            current.Dispose();
        }
        running.Dispose();
        backfilling.Dispose();
        swapping.Dispose();
    }
}

/// <summary>A watcher's scan: the result, and the sealed secret of each finding that can be
/// validated again (by rule and keyed digest; empty unless the target validates and a seal key is set).</summary>
internal sealed record WatchScan(ScanResult Result, IReadOnlyDictionary<(string RuleId, string Digest), string>? SealedSecrets = null)
{
    public string? SealedSecret(Finding finding) =>
        finding.SecretDigest is { } digest && SealedSecrets?.GetValueOrDefault((finding.RuleId, digest)) is { } sealedSecret ? sealedSecret : null;
}
