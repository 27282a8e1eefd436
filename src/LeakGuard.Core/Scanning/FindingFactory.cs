using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>Turns a rule hit into the finding every output shows: where, what, and the secret only
/// in redacted and fingerprinted form. The location shows the path as the user named it; the
/// fingerprint is taken under <see cref="Blob.FingerprintPath"/>, which does not depend on that,
/// over the secret's digest keyed with the installation's <see cref="FingerprintKey"/>.</summary>
internal static class FindingFactory
{
    /// <summary>A path rule matched a file's name.</summary>
    public static Finding ForPath(Rule rule, Blob blob) => new()
    {
        RuleId = rule.Id,
        Kind = rule.Kind,
        Severity = rule.Severity,
        Confidence = rule.Confidence,
        Title = rule.Name,
        Location = LocationOf(blob, null),
        Fingerprint = SecretText.Fingerprint(rule.Id, blob.FingerprintPath, null),
        Details = blob.Origin?.Details ?? new Dictionary<string, object?>(),
    };

    /// <summary>A content rule matched <paramref name="secret"/> in <paramref name="blob"/>, at
    /// <paramref name="position"/> of the file the (possibly decoded) blob came from, and at
    /// <paramref name="secretStart"/> of the blob's own (possibly decoded) content.</summary>
    public static Finding ForSecret(Rule rule, Blob blob, string secret, FingerprintKey key, Confidence confidence,
        (int Line, int Column) position, IReadOnlyDictionary<string, object?> details, ReadOnlySpan<byte> content, int secretStart, int secretLength)
    {
        string digest = key.Digest(secret);
        string redacted = SecretText.Redact(secret);
        return new()
        {
            RuleId = rule.Id,
            Kind = rule.Kind,
            Severity = rule.Severity,
            Confidence = confidence,
            Title = rule.Name,
            Location = LocationOf(blob, position),
            Secret = redacted,
            SecretDigest = digest,
            Context = CodeContext.Around(content, secretStart, secretLength, secret, redacted),
            Fingerprint = SecretText.Fingerprint(rule.Id, blob.FingerprintPath, digest),
            Details = details,
        };
    }

    private static Location LocationOf(Blob blob, (int Line, int Column)? position) => new()
    {
        Path = blob.Path,
        Line = position?.Line,
        Column = position?.Column,
        Commit = blob.Origin?.Commit,
        Author = blob.Origin?.Author,
        Date = blob.Origin?.Date,
        Package = blob.Origin?.Package,
        Version = blob.Origin?.Version,
    };
}
