using System.Text.RegularExpressions;

namespace LeakGuard.Sources.NuGet;

/// <summary><c>nuget:Id[@VERSION|RANGE|all]</c>; without a version it is the newest stable one.</summary>
public sealed partial record NuGetTarget(string Id, string Spec)
{
    public const string Prefix = "nuget:";

    /// <summary>"Newest stable", NuGet's default when no version is given.</summary>
    public const string Latest = "latest";

    public static bool Names(string target) => target.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Parses a target; null with a reason when the id is not a NuGet package id (it
    /// goes into URLs, so it is checked against NuGet's rules).</summary>
    public static NuGetTarget? TryParse(string target, out string reason)
    {
        string rest = target[Prefix.Length..];
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        string id = at < 0 ? rest : rest[..at];
        string spec = at < 0 ? Latest : rest[(at + 1)..].Trim();
        if (id.Length is 0 or > 100 || !PackageId().IsMatch(id))
        {
            reason = $"'{id}' is not a NuGet package id";
            return null;
        }
        if (spec.Length is 0 or > 256)
        {
            reason = $"'{target}': the version after '@' is empty or too long";
            return null;
        }
        reason = "";
        return new NuGetTarget(id, spec);
    }

    [GeneratedRegex(@"^\w+(?:[_.-]\w+)*$")]
    private static partial Regex PackageId();
}
