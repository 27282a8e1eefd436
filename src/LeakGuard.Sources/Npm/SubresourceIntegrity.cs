using System.Security.Cryptography;

namespace LeakGuard.Sources.Npm;

/// <summary>
/// Checks a tarball against its packument's <c>dist.integrity</c> (SRI: space-separated
/// <c>sha512-BASE64</c> entries), falling back to the legacy <c>dist.shasum</c> (SHA-1 hex) that
/// old packages carry alone. The strongest algorithm present decides, as in npm's ssri.
/// </summary>
public static class SubresourceIntegrity
{
    /// <summary>Null when the bytes match; otherwise why they do not.</summary>
    public static string? Mismatch(ReadOnlySpan<byte> content, string? integrity, string? shasum)
    {
        string? sha512 = integrity?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(e => e.StartsWith("sha512-", StringComparison.Ordinal));
        if (sha512 is not null)
        {
            string actual = "sha512-" + Convert.ToBase64String(SHA512.HashData(content));
            return actual == sha512 ? null : $"sha512 integrity mismatch: packument says {sha512}, tarball is {actual}";
        }
        if (!string.IsNullOrEmpty(shasum))
        {
            string actual = Convert.ToHexStringLower(SHA1.HashData(content));
            return string.Equals(actual, shasum, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"sha1 shasum mismatch: packument says {shasum}, tarball is {actual}";
        }
        return "the packument gives no sha512 integrity or shasum to check the tarball against";
    }
}
