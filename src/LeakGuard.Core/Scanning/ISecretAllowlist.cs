using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>Decides, where a content rule's match is made and its secret is still known (findings
/// carry only the redacted form and a digest), whether the secret is allowed and so not reported.
/// Called from every scanning thread at once.</summary>
public interface ISecretAllowlist
{
    bool Allows(Rule rule, string secret);
}
