using System.Collections.Concurrent;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// <c>scan --show-secrets</c>: every secret a scan reports, kept in clear for the run by its keyed
/// digest, so the report can show it in full to the incident responder who must rotate it.
/// Findings carry only the redacted form otherwise, and the service never shows more.
/// </summary>
public sealed class ClearSecrets : ISecretKeeper
{
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public void Keep(Rule rule, string digest, string secret) => _secrets.TryAdd(digest, secret);

    /// <summary>The findings with each kept secret in full, in the context lines too (findings
    /// without a secret, such as exposures, as they were).</summary>
    public IReadOnlyList<Finding> Reveal(IReadOnlyList<Finding> findings) =>
        [.. findings.Select(f => f.SecretDigest is { } digest && _secrets.TryGetValue(digest, out var secret) ? Revealed(f, secret) : f)];

    private static Finding Revealed(Finding finding, string secret) => finding with
    {
        Secret = secret,
        Context = finding.Context is { } context && finding.Secret is { } redacted
            ? context with { Lines = [.. context.Lines.Select(l => l.Replace(redacted, secret, StringComparison.Ordinal))] }
            : finding.Context,
    };
}
