using System.Collections.Concurrent;
using LeakGuard.Core.Findings;

namespace LeakGuard.Validation;

/// <summary>
/// Validates a scan's findings after it: each distinct secret once (cached by rule and keyed digest,
/// never by the secret), at most <see cref="Core.Rules.ValidatorSpec.Concurrency"/> requests at once
/// per provider host, and puts each answer on its findings. A live credential is high confidence
/// and at least high severity; an invalid one is low confidence.
/// </summary>
public sealed class FindingValidation(HttpValidator validator)
{
    private readonly ConcurrentDictionary<(string RuleId, string Digest), Task<ValidationResult>> _cache = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _providers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many requests were made (each distinct secret once, retries not counted).</summary>
    public int Requests => _cache.Count;

    /// <summary>The findings with their validation; findings no validator covers are unchanged.</summary>
    public async Task<IReadOnlyList<Finding>> ApplyAsync(IReadOnlyList<Finding> findings, SecretVault secrets, CancellationToken cancellation)
    {
        var validated = await Task.WhenAll(findings.Select(f => ValidateAsync(f, secrets, cancellation))).ConfigureAwait(false);
        return validated;
    }

    private async Task<Finding> ValidateAsync(Finding finding, SecretVault secrets, CancellationToken cancellation)
    {
        if (finding.SecretDigest is not { } digest || !secrets.TryGet(finding.RuleId, digest, out var rule, out string secret)
            || rule.Validator is not { } spec)
        {
            return finding;
        }
        var result = await _cache.GetOrAdd((rule.Id, digest), _ => AskAsync(spec, secret, cancellation)).ConfigureAwait(false);
        return With(finding, result);
    }

    private async Task<ValidationResult> AskAsync(Core.Rules.ValidatorSpec spec, string secret, CancellationToken cancellation)
    {
        // Yield first: GetOrAdd must not run the request while it holds the cache's lock.
        await Task.Yield();
        var gate = _providers.GetOrAdd(spec.Url.Host, _ => new SemaphoreSlim(spec.Concurrency));
        await gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await validator.ValidateAsync(spec, secret, cancellation).ConfigureAwait(false);
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
