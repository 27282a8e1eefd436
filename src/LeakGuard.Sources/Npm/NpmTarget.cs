using System.Text.RegularExpressions;

namespace LeakGuard.Sources.Npm;

/// <summary><c>npm:NAME[@VERSION|RANGE|TAG|all]</c>; without a version it is the <c>latest</c> tag.
/// NAME may be a whole scope, <c>@acme/*</c>: the spec then applies to every package in it.</summary>
public sealed partial record NpmTarget(string Name, string Spec)
{
    public const string Prefix = "npm:";

    // One pattern for a scope and a bare name, so a whole scope is held to the same rules as a
    // scoped package name.
    private const string ScopePattern = @"@[A-Za-z0-9\-~][A-Za-z0-9\-._~]*";
    private const string BarePattern = @"[A-Za-z0-9\-~][A-Za-z0-9\-._~]*";
    private const string AnyPackage = "/*";

    public static bool Names(string target) => target.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The scope (<c>@acme</c>) when the target names all of it (<c>@acme/*</c>), else null.</summary>
    public string? Scope => WholeScope().IsMatch(Name) ? Name[..^AnyPackage.Length] : null;

    /// <summary>Parses a target; null with a reason when it is neither a valid npm package name nor
    /// a whole scope (the name goes into URLs, so it is checked against npm's own rules).</summary>
    public static NpmTarget? TryParse(string target, out string reason)
    {
        string rest = target[Prefix.Length..];
        int at = rest.IndexOf('@', rest.StartsWith('@') ? 1 : 0);
        string name = at < 0 ? rest : rest[..at];
        string spec = at < 0 ? "latest" : rest[(at + 1)..].Trim();
        if (!IsPackageName(name) && !(name.Length <= 214 && WholeScope().IsMatch(name)))
        {
            reason = name.Contains('*', StringComparison.Ordinal)
                ? $"'{name}' is not an npm package name or a whole scope such as @acme/*"
                : $"'{name}' is not an npm package name";
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

    /// <summary>Whether <paramref name="name"/> is a name npm accepts for a package.</summary>
    internal static bool IsPackageName(string name) => name.Length is > 0 and <= 214 && PackageName().IsMatch(name);

    /// <summary>npm's rules for new and legacy names: lower or mixed case (legacy), URL-safe,
    /// optionally scoped.</summary>
    [GeneratedRegex("^(?:" + ScopePattern + "/)?" + BarePattern + "$")]
    private static partial Regex PackageName();

    [GeneratedRegex("^" + ScopePattern + "/\\*$")]
    private static partial Regex WholeScope();
}
