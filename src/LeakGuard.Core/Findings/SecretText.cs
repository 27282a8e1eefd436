using System.Security.Cryptography;
using System.Text;

namespace LeakGuard.Core.Findings;

/// <summary>Redaction, fingerprints and entropy: what a finding may say about a secret.</summary>
public static class SecretText
{
    /// <summary>Keeps a few characters at each end so a person can recognise the secret.</summary>
    public static string Redact(string secret)
    {
        string flat = secret.ReplaceLineEndings(" ");
        return flat.Length switch
        {
            >= 16 => $"{flat[..4]}…{flat[^4..]}",
            >= 8 => $"{flat[..2]}…{flat[^2..]}",
            _ => "…",
        };
    }

    /// <summary>Independent of commit, line and report, so a suppression survives both.
    /// <paramref name="material"/> is never a secret itself: a secret is fingerprinted by its keyed
    /// <see cref="FingerprintKey.Digest"/>, anything else by text its finding shows anyway.</summary>
    public static string Fingerprint(string ruleId, string path, string? material)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ruleId}\n{path}\n{material}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Shannon entropy in bits per byte.</summary>
    public static double Entropy(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }
        Span<int> counts = stackalloc int[256];
        counts.Clear();
        foreach (byte b in value)
        {
            counts[b]++;
        }
        double entropy = 0;
        foreach (int count in counts)
        {
            if (count > 0)
            {
                double p = (double)count / value.Length;
                entropy -= p * Math.Log2(p);
            }
        }
        return entropy;
    }
}
