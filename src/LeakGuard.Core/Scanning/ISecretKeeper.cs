using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>Told each secret a content rule reports, where it is still known in clear (findings carry
/// only the redacted form and a keyed digest): what <c>--validate</c> shows the provider after the
/// scan, keeping only what a validator needs. Called from every scanning thread at once.</summary>
public interface ISecretKeeper
{
    /// <param name="digest">The finding's <see cref="Findings.Finding.SecretDigest"/>.</param>
    void Keep(Rule rule, string digest, string secret);
}
