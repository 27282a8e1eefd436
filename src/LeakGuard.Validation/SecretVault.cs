using System.Collections.Concurrent;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Validation;

/// <summary>The secrets a scan found that a validator can check, held in memory only for the
/// run, by rule and keyed digest: the only place <c>--validate</c> reads a secret in clear.</summary>
/// <param name="rules">The scan's rules: the secrets of those with a validator are kept, and those of
/// the rules a validator pairs them with (an AWS access key ID beside its secret).</param>
public sealed class SecretVault(IEnumerable<Rule> rules) : ISecretKeeper
{
    private readonly HashSet<string> _kept = [.. rules.Where(r => r.Validator is not null)
        .SelectMany(r => new[] { r.Id, r.Validator!.Pair, r.Validator!.HostPair }).OfType<string>()];

    private readonly ConcurrentDictionary<(string RuleId, string Digest), (Rule Rule, string Secret)> _secrets = new();

    public void Keep(Rule rule, string digest, string secret)
    {
        if (_kept.Contains(rule.Id))
        {
            _secrets.TryAdd((rule.Id, digest), (rule, secret));
        }
    }

    private readonly ConcurrentDictionary<(string RuleId, string Digest), IReadOnlyList<PairedValues>> _pairs = new();

    /// <summary>Keeps a secret with the values it is to be validated with (a sealed credential asked
    /// about again), instead of those found beside it in the same scan.</summary>
    public void Keep(Rule rule, string digest, SealedCredential credential)
    {
        Keep(rule, digest, credential.Secret);
        if (credential.Pairs.Count > 0)
        {
            _pairs.TryAdd((rule.Id, digest), credential.Pairs);
        }
    }

    /// <summary>The values kept with a secret by <see cref="Keep(Rule, string, SealedCredential)"/>, or null.</summary>
    public IReadOnlyList<PairedValues>? KeptPairs(string ruleId, string digest) => _pairs.GetValueOrDefault((ruleId, digest));

    public bool TryGet(string ruleId, string digest, out Rule rule, out string secret)
    {
        bool found = _secrets.TryGetValue((ruleId, digest), out var kept);
        (rule, secret) = kept;
        return found;
    }

    public int Count => _secrets.Count;
}
