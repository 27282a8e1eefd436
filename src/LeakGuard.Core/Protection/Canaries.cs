using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Protection;

/// <summary>
/// Canaries: unique markers planted in private code (a comment, a string constant) that no other
/// code holds, so meeting one anywhere, even inside a minified bundle, proves a copy. They are
/// rules generated from the index, one per codebase, so both engines find them like any rule.
/// </summary>
public static class Canaries
{
    public const string Prefix = "lgcanary_";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>26 base-32 characters: 130 random bits.</summary>
    private const int RandomLength = 26;

    public static string New()
    {
        var text = new StringBuilder(Prefix, Prefix.Length + RandomLength);
        for (int i = 0; i < RandomLength; i++)
        {
            text.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }
        return text.ToString();
    }

    /// <summary>The rule id of a codebase's canaries: <c>leakguard.canary.</c> and the name in
    /// lower-case letters, digits and dashes (a number keeps two names apart that would read alike).</summary>
    public static string RuleId(ProtectedIndex index, int codebase)
    {
        string slug = Regex.Replace(index.Codebases[codebase].Name.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return $"leakguard.canary.{(slug.Length == 0 ? "codebase" : slug)}-{codebase + 1}";
    }

    public static IEnumerable<Rule> Rules(ProtectedIndex index)
    {
        for (int c = 0; c < index.Codebases.Count; c++)
        {
            var codebase = index.Codebases[c];
            if (codebase.Canaries.Count == 0)
            {
                continue;
            }
            yield return new Rule
            {
                Id = RuleId(index, c),
                Name = $"Canary of protected code {codebase.Name}",
                Kind = FindingKind.Exposure,
                Severity = Severity.Critical,
                Pattern = $"({string.Join("|", codebase.Canaries.Select(Regex.Escape))})",
                Keywords = [Prefix],
                Tags = ["canary"],
                Examples = [$"// {codebase.Canaries[0]}"],
                NegativeExamples = [$"// {Prefix}{new string('a', RandomLength)}"],
                Source = "protected-code index",
            };
        }
    }
}
