using System.Security.Cryptography;
using System.Text;

namespace LeakGuard.Core.Findings;

/// <summary>
/// The per-installation secret every secret's digest is keyed with (HMAC-SHA-256), and through it
/// every fingerprint of a secret. A report shows a fingerprint next to the secret's first and last
/// characters; were it a plain hash, hashing guesses for the few characters in between would
/// recover a short password in under a second. Keyed, a guess can be checked only by someone who
/// holds the key. The key is text (at least <see cref="MinimumLength"/> characters), so the same
/// value can be kept in a file, a store or a CI secret.
/// </summary>
public sealed class FingerprintKey
{
    public const int MinimumLength = 16;

    private readonly Lazy<byte[]> _key;

    // One keyed HMAC state per scanning thread: keying it anew for each secret costs three times
    // as much as the hash itself, in a scan whose input may be nothing but secrets.
    private readonly ThreadLocal<IncrementalHash> _hmac;

    /// <exception cref="ArgumentException">Shorter than <see cref="MinimumLength"/> characters
    /// once surrounding whitespace is trimmed.</exception>
    public FingerprintKey(string text)
        : this(new Lazy<byte[]>(Encoding.UTF8.GetBytes(Trimmed(text))))
    {
    }

    private FingerprintKey(Lazy<byte[]> key)
    {
        _key = key;
        _hmac = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key.Value));
    }

    private static string Trimmed(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length < MinimumLength)
        {
            throw new ArgumentException($"a fingerprint key has at least {MinimumLength} characters", nameof(text));
        }
        return trimmed;
    }

    /// <summary>A key for a process that was given none: random and never stored, so its
    /// fingerprints hold within the process and match nothing made elsewhere. Drawn when first
    /// used: the random source loads OpenSSL, which a scan that finds no secret never needs
    /// (about 15 ms of a one-file scan).</summary>
    public static FingerprintKey Ephemeral { get; } = new(new Lazy<byte[]>(() => Encoding.UTF8.GetBytes(Generate())));

    /// <summary>Text for a new key: 256 random bits as 64 hex characters.</summary>
    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The keyed digest of a whole secret: what fingerprints are taken over, and how
    /// findings of one secret are told apart from another's; never shown.</summary>
    public string Digest(string secret)
    {
        var hmac = _hmac.Value!;
        hmac.AppendData(Encoding.UTF8.GetBytes(secret));
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hmac.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }
}
