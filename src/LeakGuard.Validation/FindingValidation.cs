using System.Collections.Concurrent;
using LeakGuard.Core.Findings;

namespace LeakGuard.Validation;

/// <summary>
/// Validates a scan's findings after it: each distinct secret once (cached by rule and keyed digest,
/// never by the secret), at most <see cref="Core.Rules.ValidatorSpec.Concurrency"/> requests at once
/// per provider host, and puts each answer on its findings. A live credential is high confidence
/// and at least high severity; an invalid one is low confidence.
/// </summary>
/// <param name="signers">The validators written in code, by <see cref="Core.Rules.ValidatorSpec.Signer"/>.</param>
public sealed class FindingValidation(HttpValidator validator, IReadOnlyDictionary<string, IPairValidator>? signers = null)
{
    /// <summary>Each secret is tried with at most this many key IDs from its file.</summary>
    private const int MaxPairs = 3;

    private readonly ConcurrentDictionary<(string RuleId, string Digest), Task<ValidationResult>> _cache = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _providers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many secrets (or key pairs) were asked about, each once, retries not counted.</summary>
    public int Requests => _cache.Count;

    /// <summary>The findings with their validation; findings no validator covers are unchanged.</summary>
    public async Task<IReadOnlyList<Finding>> ApplyAsync(IReadOnlyList<Finding> findings, SecretVault secrets, CancellationToken cancellation)
    {
        var validated = await Task.WhenAll(findings.Select(f => ValidateAsync(f, findings, secrets, cancellation))).ConfigureAwait(false);
        return validated;
    }

    private async Task<Finding> ValidateAsync(Finding finding, IReadOnlyList<Finding> all, SecretVault secrets, CancellationToken cancellation)
    {
        if (finding.SecretDigest is not { } digest || !secrets.TryGet(finding.RuleId, digest, out var rule, out string secret)
            || rule.Validator is not { } spec)
        {
            return finding;
        }
        if (spec.Pair is not null || spec.HostPair is not null)
        {
            return With(finding, await PairAsync(finding, spec, secret, all, secrets, cancellation).ConfigureAwait(false));
        }
        var result = await _cache.GetOrAdd((rule.Id, digest), _ => AskAsync(spec, () => validator.ValidateAsync(spec, secret, cancellation), cancellation)).ConfigureAwait(false);
        return With(finding, result);
    }

    /// <summary>The other halves found in the same file (and commit) as <paramref name="finding"/>.</summary>
    private static List<(string Digest, string Secret)> PairedHalves(Finding finding, IReadOnlyList<Finding> all, string pairRule, SecretVault secrets)
    {
        var halves = new List<(string, string)>();
        foreach (var other in all)
        {
            if (other.RuleId == pairRule && other.Location.Path == finding.Location.Path && other.Location.Commit == finding.Location.Commit
                && other.SecretDigest is { } digest && secrets.TryGet(pairRule, digest, out _, out string half)
                && !halves.Contains((digest, half)))
            {
                halves.Add((digest, half));
            }
        }
        return halves;
    }

    /// <summary>The combinations a paired secret is tried with, at most <see cref="MaxPairs"/>, each
    /// with a key for the answer cache (digests, never values): the values kept with it, or else each
    /// other half (and host) found in the same file. Empty when a half the validator needs was not found.</summary>
    public static IReadOnlyList<(string Key, PairedValues Values)> Combinations(Finding finding, Core.Rules.ValidatorSpec spec,
        IReadOnlyList<Finding> all, SecretVault secrets)
    {
        if (finding.SecretDigest is { } digest && secrets.KeptPairs(finding.RuleId, digest) is { } kept)
        {
            return [.. kept.Take(MaxPairs).Select((values, i) => ($"{digest}+kept{i}", values))];
        }
        List<(string Digest, string? Secret)> halves = spec.Pair is { } pairRule ? [.. PairedHalves(finding, all, pairRule, secrets)] : [("", null)];
        List<(string Digest, string? Secret)> hosts = spec.HostPair is { } hostRule ? [.. PairedHalves(finding, all, hostRule, secrets)] : [("", null)];
        return [.. halves.SelectMany(h => hosts.Select(o => ($"{finding.SecretDigest}+{h.Digest}+{o.Digest}", new PairedValues(h.Secret, o.Secret)))).Take(MaxPairs)];
    }

    /// <summary>A key pair (and, with <see cref="Core.Rules.ValidatorSpec.HostPair"/>, the host found
    /// beside it): live with the first combination the provider accepts, invalid when it refuses them all.</summary>
    private async Task<ValidationResult> PairAsync(Finding finding, Core.Rules.ValidatorSpec spec, string secret,
        IReadOnlyList<Finding> all, SecretVault secrets, CancellationToken cancellation)
    {
        // A plain request takes the other half in {{pair}}; a signing scheme is a validator of its own.
        Func<string?, string?, Task<ValidationResult>>? ask = spec.Signer is null
            ? (half, host) => validator.ValidateAsync(spec, secret, cancellation, half, host)
            : signers?.GetValueOrDefault(spec.Signer) is { } signer ? (half, _) => signer.ValidateAsync(spec, half!, secret, cancellation) : null;
        var combinations = Combinations(finding, spec, all, secrets);
        if (ask is null || combinations.Count == 0)
        {
            string missing = spec.Pair is { } pair && PairedHalves(finding, all, pair, secrets).Count == 0 ? pair : spec.HostPair ?? spec.Pair!;
            return new ValidationResult { Status = ValidationStatus.Unknown, CheckedAt = DateTimeOffset.UtcNow, Message = $"no {missing} in the same file to pair it with" };
        }
        var results = new List<ValidationResult>();
        foreach (var (key, (half, host)) in combinations)
        {
            var result = await _cache.GetOrAdd((finding.RuleId, key), _ => AskAsync(spec, () => ask(half, host), cancellation)).ConfigureAwait(false);
            if (result.Status == ValidationStatus.Live)
            {
                return result;
            }
            results.Add(result);
        }
        return results.All(r => r.Status == ValidationStatus.Invalid) ? results[0] : results.First(r => r.Status != ValidationStatus.Invalid);
    }

    private async Task<ValidationResult> AskAsync(Core.Rules.ValidatorSpec spec, Func<Task<ValidationResult>> ask, CancellationToken cancellation)
    {
        // Yield first: GetOrAdd must not run the request while it holds the cache's lock.
        await Task.Yield();
        var gate = _providers.GetOrAdd(spec.Url.Host, _ => new SemaphoreSlim(spec.Concurrency));
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await ask().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The finding as its validation changes it.</summary>
    public static Finding With(Finding finding, ValidationResult result) => result.Status switch
    {
        ValidationStatus.Live => finding with
        {
            Validation = result,
            Confidence = Confidence.High,
            Severity = finding.Severity < Severity.High ? Severity.High : finding.Severity,
        },
        ValidationStatus.Invalid => finding with { Validation = result, Confidence = Confidence.Low },
        _ => finding with { Validation = result },
    };
}
