using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Validation;

/// <summary><c>scan --validate</c> after the scan: each finding a validator covers gets its
/// provider's answer; with <c>--only-live</c> the rest are left out.</summary>
public static class ScanValidation
{
    /// <param name="notes">Told how many secrets were checked and with what outcome.</param>
    public static ScanResult Run(ScanResult result, SecretVault secrets, bool onlyLive, ValidationEndpoints endpoints,
        List<string> notes, ValidationLimits? limits = null, CancellationToken cancellation = default)
    {
        using var client = HttpValidator.CreateClient(endpoints);
        limits ??= new ValidationLimits();
        var validation = new FindingValidation(new HttpValidator(client, endpoints, limits), Signers(endpoints, limits));
        var findings = validation.ApplyAsync(result.Findings, secrets, cancellation).GetAwaiter().GetResult();
        var counts = findings.Where(f => f.Validation is not null).GroupBy(f => f.Validation!.Status)
            .OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Name()}");
        notes.Add($"validated {validation.Requests} {(validation.Requests == 1 ? "secret" : "secrets")}: {string.Join(", ", counts.DefaultIfEmpty("none"))}");
        if (onlyLive)
        {
            int before = findings.Count;
            findings = [.. findings.Where(f => f.Validation?.Status == ValidationStatus.Live)];
            notes.Add($"--only-live: {before - findings.Count} findings not proved live not shown");
        }
        return result with { Findings = findings };
    }

    /// <summary>The validators written in code, by the <c>validate.signer</c> that names them.</summary>
    public static IReadOnlyDictionary<string, IPairValidator> Signers(ValidationEndpoints endpoints, ValidationLimits limits) =>
        new Dictionary<string, IPairValidator>(StringComparer.Ordinal)
        {
            [Core.Rules.ValidatorSpec.AwsSigV4] = new AwsStsValidator(endpoints, limits),
            [Core.Rules.ValidatorSpec.GcpServiceAccount] = new GcpServiceAccountValidator(endpoints, limits),
            [Core.Rules.ValidatorSpec.AzureSharedKey] = new AzureStorageValidator(endpoints, limits),
        };
}
