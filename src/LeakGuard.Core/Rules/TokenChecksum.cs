using System.IO.Hashing;
using System.Text;

namespace LeakGuard.Core.Rules;

/// <summary>
/// Checksums that providers build into their tokens (a rule's <c>checksum:</c>). A token whose
/// checksum holds was made by the provider's generator (or by someone who computed it); one whose
/// checksum fails was not: typed, cut or invented.
/// </summary>
public enum TokenChecksum
{
    /// <summary><c>crc32-base62</c>: <c>PREFIX_</c> + body + 6 characters that are the CRC32 of the
    /// body in base 62 (0–9, A–Z, a–z), zero-padded — GitHub's <c>ghp_</c>/<c>gho_</c>/… and npm's
    /// <c>npm_</c> tokens.</summary>
    Crc32Base62,

    /// <summary><c>crc32-hex</c>: everything + 8 lower-case hex digits that are the CRC32 of everything
    /// before them, prefix included — Private Packagist's tokens.</summary>
    Crc32Hex,

    /// <summary><c>crc32-base64</c>: a 4-character prefix + body + 6 characters that are the standard
    /// base64 of the body's CRC32 (its four bytes least significant first, padding dropped) —
    /// Confluent Cloud's <c>cflt</c> API secrets.</summary>
    Crc32Base64,
}

public static class TokenChecksums
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static TokenChecksum? Parse(string? name) => name switch
    {
        null => null,
        "crc32-base62" => TokenChecksum.Crc32Base62,
        "crc32-hex" => TokenChecksum.Crc32Hex,
        "crc32-base64" => TokenChecksum.Crc32Base64,
        _ => throw new ArgumentException($"unknown checksum '{name}' (known: crc32-base62, crc32-hex, crc32-base64)"),
    };

    /// <summary>Whether <paramref name="secret"/>'s checksum holds; null when the secret does not have
    /// the checksum's shape (a rule may match other forms too, such as GitHub's fine-grained tokens).</summary>
    public static bool? Holds(TokenChecksum checksum, string secret)
    {
        switch (checksum)
        {
            case TokenChecksum.Crc32Base62:
            {
                int separator = secret.IndexOf('_', StringComparison.Ordinal);
                string body = secret[(separator + 1)..];
                if (separator < 1 || body.Length <= 6 || !body.All(char.IsAsciiLetterOrDigit))
                {
                    return null;
                }
                uint crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body[..^6]));
                var digits = new char[6];
                for (int i = 5; i >= 0; i--)
                {
                    digits[i] = Base62[(int)(crc % 62)];
                    crc /= 62;
                }
                // 62^6 > 2^32: six digits hold any CRC32.
                return body.AsSpan(body.Length - 6).SequenceEqual(digits);
            }
            case TokenChecksum.Crc32Hex:
            {
                if (secret.Length <= 8 || !secret[^8..].All(char.IsAsciiHexDigit))
                {
                    return null;
                }
                uint crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(secret[..^8]));
                return string.Equals(crc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), secret[^8..], StringComparison.OrdinalIgnoreCase);
            }
            case TokenChecksum.Crc32Base64:
            {
                if (secret.Length <= 10)
                {
                    return null;
                }
                Span<byte> crc = stackalloc byte[4];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.HashToUInt32(Encoding.ASCII.GetBytes(secret[4..^6])));
                return string.Equals(Convert.ToBase64String(crc)[..6], secret[^6..], StringComparison.Ordinal);
            }
            default:
                return null;
        }
    }
}
