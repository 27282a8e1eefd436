using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>Told each secret a content rule reports, where it is still known in clear (findings carry
/// only the redacted form and a keyed digest): what <c>--validate</c> shows the provider after the
/// scan, keeping only what a validator needs, and <c>--show-secrets</c> shows in the report
/// (<see cref="ClearSecrets"/>). Called from every scanning thread at once.</summary>
public interface ISecretKeeper
{
    /// <param name="digest">The finding's <see cref="Findings.Finding.SecretDigest"/>.</param>
    void Keep(Rule rule, string digest, string secret);
}

public static class SecretKeepers
{
    /// <summary>One keeper telling both (either may be null; null when both are).</summary>
    public static ISecretKeeper? Both(ISecretKeeper? first, ISecretKeeper? second) =>
        first is null ? second : second is null ? first : new Pair(first, second);

    private sealed class Pair(ISecretKeeper first, ISecretKeeper second) : ISecretKeeper
    {
        public void Keep(Rule rule, string digest, string secret)
        {
            first.Keep(rule, digest, secret);
            second.Keep(rule, digest, secret);
        }
    }
}
