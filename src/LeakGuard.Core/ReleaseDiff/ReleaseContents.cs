using LeakGuard.Core.Findings;

namespace LeakGuard.Core.ReleaseDiff;

/// <summary>
/// One release as the diff sees it: its files and findings keyed by their path inside the
/// release, so that <c>acme@2.0.9.tgz!package/cli.js</c> and <c>acme@2.1.0.tgz!package/cli.js</c>
/// are the same file. <paramref name="Label"/> names the release in messages (a version, a target).
/// </summary>
/// <param name="StoredFindingKeys">The finding keys of a release known only from a stored
/// <see cref="ReleaseManifest"/>, whose findings themselves are not kept.</param>
/// <param name="StoredProtectedFiles">Likewise, the protected files it held, by codebase.</param>
public sealed record ReleaseContents(string Label, IReadOnlyList<InventoriedFile> Files, IReadOnlyList<Finding> Findings,
    Func<string, string> KeyOf, IReadOnlyCollection<string>? StoredFindingKeys = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? StoredProtectedFiles = null)
{
    /// <summary>How the paths of a release named <paramref name="target"/> become keys:
    /// relative to it when it is a directory, else <see cref="InsideItem"/>.</summary>
    public static Func<string, string> KeysWithin(string target, bool isDirectory)
    {
        if (!isDirectory)
        {
            return InsideItem;
        }
        return path =>
        {
            int bang = path.IndexOf('!', StringComparison.Ordinal);
            string file = bang < 0 ? path : path[..bang];
            string relative = System.IO.Path.GetRelativePath(target, file).Replace('\\', '/');
            return bang < 0 ? relative : relative + path[bang..];
        };
    }

    /// <summary>The key for paths of one top-level item that is itself the release (a package
    /// file, an archive, a container image): everything after the item's name. In an image, the
    /// path inside its layer, so that a file compares across two tags whatever layer holds it
    /// (<c>app:1!sha256:…!usr/app/main.js</c> is <c>usr/app/main.js</c>); the config is <c>(image config)</c>.</summary>
    public static string InsideItem(string path)
    {
        int bang = path.IndexOf('!', StringComparison.Ordinal);
        string inside = bang < 0 ? "" : path[(bang + 1)..];
        const int DigestLength = 71;
        if (inside.Length >= DigestLength && Expansion.Images.ImageDigest.IsSha256(inside[..DigestLength])
            && (inside.Length == DigestLength || inside[DigestLength] == '!'))
        {
            return inside.Length == DigestLength ? "(image config)" : inside[(DigestLength + 1)..];
        }
        return inside;
    }

    /// <summary>The fingerprint of a finding with its release-independent path: rule, key and
    /// the secret's digest (never its redacted form: every secret under 8 characters redacts alike,
    /// so a changed short password would look unchanged); for protected code, what it holds.</summary>
    public string FindingKey(Finding finding) => SecretText.Fingerprint(finding.RuleId, KeyOf(finding.Location.Path), Material(finding));

    /// <summary>What besides rule and path tells one finding from another.</summary>
    public static string? Material(Finding finding) =>
        ProtectedCodeChange.IsProtectedCode(finding) ? ProtectedCodeChange.Material(finding) : finding.SecretDigest ?? finding.Secret;

    /// <summary>The keys of every finding of this release.</summary>
    public IEnumerable<string> FindingKeys() => StoredFindingKeys ?? Findings.Select(FindingKey);

    /// <summary>The protected files this release holds, by codebase.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ProtectedFiles() => StoredProtectedFiles ?? ProtectedCodeChange.Held(Findings);
}
