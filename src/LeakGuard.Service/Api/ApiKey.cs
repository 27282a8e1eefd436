using System.Security.Cryptography;
using System.Text;

namespace LeakGuard.Service.Api;

/// <summary>
/// The key every API call but <c>/healthz</c> must present. Only its SHA-256 is kept: comparing
/// fixed-length digests with <see cref="CryptographicOperations.FixedTimeEquals"/> takes the same
/// time whatever the candidate, its length included, and the key itself is never held to be logged.
/// </summary>
public sealed class ApiKey
{
    public const string EnvironmentVariable = "LEAKGUARD_API_KEY";

    /// <summary>Short keys can be guessed over the network; 16 characters is the least we accept.</summary>
    public const int ShortestLength = 16;

    private readonly byte[] digest;

    public ApiKey(string key)
    {
        if (key.Length < ShortestLength)
        {
            throw new ArgumentException($"{EnvironmentVariable} must be at least {ShortestLength} characters long", nameof(key));
        }
        digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <exception cref="InvalidOperationException">The variable is not set or too short; the message says which, never the value.</exception>
    public static ApiKey FromEnvironment()
    {
        string? key = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException($"{EnvironmentVariable} is not set: the API needs a key for everything but /healthz");
        }
        try
        {
            return new ApiKey(key);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(e.Message.Split(" (Parameter", 2)[0], e);
        }
    }

    public bool Matches(ReadOnlySpan<char> candidate)
    {
        Span<byte> candidateDigest = stackalloc byte[SHA256.HashSizeInBytes];
        int length = Encoding.UTF8.GetMaxByteCount(candidate.Length);
        // Bounded by the header size limits Kestrel enforces; rented to avoid a large stackalloc.
        byte[] utf8 = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = Encoding.UTF8.GetBytes(candidate, utf8);
            SHA256.HashData(utf8.AsSpan(0, written), candidateDigest);
            return CryptographicOperations.FixedTimeEquals(candidateDigest, digest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8.AsSpan(0, length));
            System.Buffers.ArrayPool<byte>.Shared.Return(utf8);
        }
    }
}
