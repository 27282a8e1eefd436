using System.Text.RegularExpressions;
using LeakGuard.Core.Rules.Import;

namespace LeakGuard.Core.Rules;

/// <summary>
/// Finds the rules whose path condition a path meets. Most conditions name a file or an extension
/// (<c>(^|/)\.pgpass$</c>, <c>\.pem$</c>): every path they match contains one of a few literals
/// (<see cref="RequiredLiterals"/>, read from the condition as imported rules' keywords are), so a
/// condition is asked only of paths that contain one. A tree of 50,000 files then costs a substring
/// search per rule and file instead of a regex per rule and file (or a joined automaton whose
/// construction alone took ~0.4 s of CPU). A condition with no such literal is asked of every path.
/// </summary>
public sealed partial class PathFilter(IEnumerable<Rule> rules)
{
    private readonly Rule[] _rules = [.. rules];

    // Read once a scan has met a few paths: reading them costs ~15 ms, asking every condition of
    // one path ~0.4 ms (~40 conditions on a long member path). The results are the same either way.
    private readonly Lazy<string[][]> _literals = new(() => [.. rules.Select(Literals)]);
    private const int PathsBeforeLiterals = 8;
    private int _paths;

    /// <summary>Adds to <paramref name="matched"/> the rules whose condition <paramref name="path"/>
    /// meets (a rule without one always), in the order they were given. A condition (an
    /// interpreted regex with a time limit) that runs past its limit does not apply: its rule is
    /// added to <paramref name="timedOut"/>.</summary>
    public void Match(string path, List<Rule> matched, List<Rule> timedOut)
    {
        var literals = Volatile.Read(ref _paths) >= PathsBeforeLiterals || Interlocked.Increment(ref _paths) > PathsBeforeLiterals
            ? _literals.Value : null;
        string? lower = null;
        for (int i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (rule.Path is null)
            {
                matched.Add(rule);
                continue;
            }
            if (literals is not null && literals[i].Length > 0)
            {
                lower ??= path.ToLowerInvariant();
                if (!Contains(lower, literals[i]))
                {
                    continue;
                }
            }
            try
            {
                if (rule.Path.IsMatch(path))
                {
                    matched.Add(rule);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                timedOut.Add(rule);
            }
        }
    }

    private static bool Contains(string path, string[] literals)
    {
        foreach (string literal in literals)
        {
            if (path.Contains(literal, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Lower-case literals one of which every path the condition matches contains; none
    /// when the condition has no such set or cannot be read as a plain regex (a look-around).</summary>
    private static string[] Literals(Rule rule)
    {
        if (rule.Path is not { } path)
        {
            return [];
        }
        // A look-around only narrows what the rest matches: without it the literals still hold.
        string pattern = LookAround().Replace(path.ToString(), "");
        try
        {
            return [.. PeerRegex.Translate(pattern).RequiredLiterals];
        }
        catch (UntranslatablePatternException)
        {
            return [];
        }
    }

    /// <summary>A look-ahead or look-behind with no group inside it.</summary>
    [GeneratedRegex(@"\(\?<?[=!][^()]*\)")]
    private static partial Regex LookAround();
}
