using System.Text;
using System.Text.RegularExpressions;

namespace LeakGuard.Core.Rules.Import;

/// <summary>
/// A gitleaks allowlist (<c>[rules.allowlist]</c>, <c>[[rules.allowlists]]</c>, or the global
/// <c>[allowlist]</c> / <c>[[allowlists]]</c> copied onto each imported rule): a match it allows is
/// not reported. <c>regexes</c> test the secret, the whole match or the match's line
/// (<c>regexTarget</c>); <c>stopwords</c> test the secret (contained, case-insensitive); <c>paths</c>
/// test the file's path. With <c>condition = "OR"</c> (the default) any one kind of check that
/// holds allows the match, with <c>"AND"</c> every kind given must hold.
/// </summary>
public sealed class ImportedAllowlist
{
    /// <summary>How far either side of a match its line is looked for (a minified file is one line).</summary>
    private const int MaxLineReach = 4096;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public required bool RequireAll { get; init; }
    public IReadOnlyList<Regex> Regexes { get; init; } = [];
    public RegexTarget Target { get; init; } = RegexTarget.Secret;
    public IReadOnlyList<Regex> Paths { get; init; } = [];
    public IReadOnlyList<string> Stopwords { get; init; } = [];

    public enum RegexTarget { Secret, Match, Line }

    /// <summary>A .NET regex for a gitleaks (Go RE2) allowlist regex; RE2's syntax is a subset of
    /// .NET's once named groups are spelt the .NET way.</summary>
    public static Regex Compile(string pattern) =>
        new(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant, Timeout);

    /// <summary>Whether any of <paramref name="allowlists"/> allows this match.</summary>
    public static bool AnyAllows(IReadOnlyList<ImportedAllowlist> allowlists, string secret, ReadOnlySpan<byte> content,
        int matchStart, int matchEnd, string path)
    {
        foreach (var allowlist in allowlists)
        {
            if (allowlist.Allows(secret, content, matchStart, matchEnd, path))
            {
                return true;
            }
        }
        return false;
    }

    private bool Allows(string secret, ReadOnlySpan<byte> content, int matchStart, int matchEnd, string path)
    {
        var checks = new List<bool>(3);
        if (Regexes.Count > 0)
        {
            string target = Target switch
            {
                RegexTarget.Match => Encoding.UTF8.GetString(content[matchStart..matchEnd]),
                RegexTarget.Line => Line(content, matchStart, matchEnd),
                _ => secret,
            };
            checks.Add(Regexes.Any(r => SafeMatch(r, target)));
        }
        if (Stopwords.Count > 0)
        {
            checks.Add(Stopwords.Any(w => secret.Contains(w, StringComparison.OrdinalIgnoreCase)));
        }
        if (Paths.Count > 0)
        {
            checks.Add(Paths.Any(r => SafeMatch(r, path)));
        }
        return checks.Count > 0 && (RequireAll ? checks.All(c => c) : checks.Any(c => c));
    }

    /// <summary>A regex that runs out of time allows nothing: the finding is kept.</summary>
    private static bool SafeMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string Line(ReadOnlySpan<byte> content, int start, int end)
    {
        int floor = Math.Max(0, start - MaxLineReach);
        int lineStart = content[floor..start].LastIndexOf((byte)'\n') is var i and >= 0 ? floor + i + 1 : floor;
        int ceiling = Math.Min(content.Length, end + MaxLineReach);
        int lineEnd = content[end..ceiling].IndexOf((byte)'\n') is var j and >= 0 ? end + j : ceiling;
        return Encoding.UTF8.GetString(content[lineStart..lineEnd]);
    }
}
