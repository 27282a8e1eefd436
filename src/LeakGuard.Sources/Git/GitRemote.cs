using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;

namespace LeakGuard.Sources.Git;

/// <summary>Tells remote repository locations from local paths, and names them without credentials.</summary>
public static partial class GitRemote
{
    private static readonly string[] Schemes = ["https://", "http://", "ssh://", "git://", "file://"];

    /// <summary>URLs with a scheme, and scp-like <c>user@host:path</c>.</summary>
    public static bool IsRemote(string location) =>
        Schemes.Any(s => location.StartsWith(s, StringComparison.OrdinalIgnoreCase)) || ScpLike().IsMatch(location);

    /// <summary>A folder name that is readable and unique per remote, and holds none of its credentials.</summary>
    public static string CacheKey(string location)
    {
        string redacted = RedactedUrl.InText(location);
        string readable = Unsafe().Replace(redacted, "_").Trim('_');
        if (readable.Length > 80)
        {
            readable = readable[^80..];
        }
        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(redacted));
        return $"{readable}-{Convert.ToHexStringLower(hash)[..12]}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!//)")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();
}
