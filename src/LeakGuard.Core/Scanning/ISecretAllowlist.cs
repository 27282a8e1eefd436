using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>Decides, where a content rule's match is made and its secret is still known (findings
/// carry only the redacted form and a digest), whether the match is allowed and so not reported:
/// by its value, or by its path — before one input's repeats of a secret are folded into one
/// finding, so an allowed place cannot take the others with it. Called from every scanning thread
/// at once.</summary>
public interface ISecretAllowlist
{
    /// <param name="path">The blob's path as reported (members after <c>!</c>).</param>
    bool Allows(Rule rule, string path, string secret);
}
