using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Validation;

/// <summary>
/// Seals a found secret so the service can keep it for asking its provider again later, without
/// the store holding a usable secret: AES-256-GCM under a key the store never sees
/// (<c>$LEAKGUARD_SEAL_KEY</c>, 32 bytes in base64), bound to the rule that found it, so a sealed
/// secret moved to another rule's finding does not open. Only findings of <c>validate: true</c>
/// targets are sealed, and only when the key is set. A secret that is validated with values found
/// beside it (an AWS key's ID, a storage account's name) is sealed with them
/// (<see cref="SealedCredential"/>), since the file they came from is not read again.
/// </summary>
public sealed class SecretSeal
{
    public const string KeyVariable = "LEAKGUARD_SEAL_KEY";

    // v1: the secret alone; v2: a SealedCredential as JSON. Both open.
    private const string Prefix = "v1:";
    private const string CredentialPrefix = "v2:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public SecretSeal(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("a seal key is 32 bytes", nameof(key));
        }
        _key = key;
    }

    /// <summary>The seal of <c>$LEAKGUARD_SEAL_KEY</c>, or null when it is not set.</summary>
    /// <exception cref="InvalidOperationException">It is set but is not 32 bytes in base64 (its value is never repeated).</exception>
    public static SecretSeal? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(KeyVariable)?.Trim() is not { Length: > 0 } text)
        {
            return null;
        }
        byte[] key = new byte[32];
        return Convert.TryFromBase64String(text, key, out int length) && length == 32
            ? new SecretSeal(key)
            : throw new InvalidOperationException($"{KeyVariable}: a seal key is 32 random bytes in base64 (e.g. `openssl rand -base64 32`)");
    }

    public string Seal(string ruleId, string secret) => Prefix + Encrypt(ruleId, Encoding.UTF8.GetBytes(secret));

    /// <summary>A secret with the values it is validated with; one without them is sealed as <see cref="Seal(string, string)"/> does.</summary>
    public string Seal(string ruleId, SealedCredential credential) => credential.Pairs.Count == 0
        ? Seal(ruleId, credential.Secret)
        : CredentialPrefix + Encrypt(ruleId, JsonSerializer.SerializeToUtf8Bytes(credential, SealedCredentialJson.Default.SealedCredential));

    private string Encrypt(string ruleId, byte[] plain)
    {
        byte[] sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(ruleId));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret, or null when this key did not seal it for this rule (another key, another
    /// rule, altered or not a seal at all).</summary>
    public string? Open(string ruleId, string sealedText) => OpenCredential(ruleId, sealedText)?.Secret;

    /// <summary>The secret and the values sealed with it, or null as <see cref="Open"/>.</summary>
    public SealedCredential? OpenCredential(string ruleId, string sealedText)
    {
        if (sealedText.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Decrypt(ruleId, sealedText[Prefix.Length..]) is { } plain ? new SealedCredential(Encoding.UTF8.GetString(plain), []) : null;
        }
        if (sealedText.StartsWith(CredentialPrefix, StringComparison.Ordinal) && Decrypt(ruleId, sealedText[CredentialPrefix.Length..]) is { } json)
        {
            try
            {
                return JsonSerializer.Deserialize(json, SealedCredentialJson.Default.SealedCredential);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        return null;
    }

    private byte[]? Decrypt(string ruleId, string base64)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }
        byte[] plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain,
                Encoding.UTF8.GetBytes(ruleId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return plain;
    }
}

/// <summary>A secret as sealed: with the other halves (and hosts) it is validated with, each
/// combination as the scan that found it tried it, or none for a secret validated alone.</summary>
public sealed record SealedCredential(string Secret, IReadOnlyList<PairedValues> Pairs);

/// <summary>One combination a paired secret is tried with: the other half found by the rule
/// <see cref="Core.Rules.ValidatorSpec.Pair"/> names, the host by <see cref="Core.Rules.ValidatorSpec.HostPair"/>.</summary>
public sealed record PairedValues(string? Pair, string? Host);

[System.Text.Json.Serialization.JsonSerializable(typeof(SealedCredential))]
internal sealed partial class SealedCredentialJson : System.Text.Json.Serialization.JsonSerializerContext;
