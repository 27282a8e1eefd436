using System.Text.RegularExpressions;

namespace LeakGuard.Sources.Npm;

/// <summary><c>npm:NAME[@VERSION|RANGE|TAG|all]</c>; without a version it is the <c>latest</c> tag.</summary>
public sealed partial record NpmTarget(string Name, string Spec)
{
    public const string Prefix = "npm:";

    public static bool Names(string target) => target.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Parses a target; null with a reason when it is not a valid npm package name
    /// (the name goes into URLs, so it is checked against npm's own rules).</summary>
    public static NpmTarget? TryParse(string target, out string reason)
    {
        string rest = target[Prefix.Length..];
        int at = rest.IndexOf('@', rest.StartsWith('@') ? 1 : 0);
        string name = at < 0 ? rest : rest[..at];
        string spec = at < 0 ? "latest" : rest[(at + 1)..].Trim();
        if (name.Length is 0 or > 214 || !PackageName().IsMatch(name))
        {
            reason = $"'{name}' is not an npm package name";
            return null;
        }
        if (spec.Length is 0 or > 256)
        {
            reason = $"'{target}': the version after '@' is empty or too long";
            return null;
        }
        reason = "";
        return new NpmTarget(name, spec);
    }

    /// <summary>npm's rules for new and legacy names: lower or mixed case (legacy), URL-safe,
    /// optionally scoped.</summary>
    [GeneratedRegex(@"^(?:@[A-Za-z0-9\-~][A-Za-z0-9\-._~]*/)?[A-Za-z0-9\-~][A-Za-z0-9\-._~]*$")]
    private static partial Regex PackageName();
}
