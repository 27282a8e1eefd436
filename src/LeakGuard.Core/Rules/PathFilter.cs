using System.Text.RegularExpressions;

namespace LeakGuard.Core.Rules;

/// <summary>
/// Finds the rules whose path condition a path meets, in one pass for most of them: conditions
/// that can run without backtracking are joined into one non-backtracking automaton, so the many
/// paths no rule names cost one match instead of one per rule. Conditions that need backtracking
/// (a look-around, a back-reference) and rules without a condition are checked on every path.
/// Building the automaton takes ~0.1 s, so it is built in the background and paths are checked
/// rule by rule until it is ready: a scan of one small file does not wait for it. Should it fail
/// to build, paths are checked rule by rule throughout.
/// </summary>
public sealed class PathFilter
{
    private readonly Task<Regex>? _joined;
    private readonly Rule[] _joinable;
    private readonly Rule[] _always;

    public PathFilter(IEnumerable<Rule> rules)
    {
        var all = rules.ToList();
        _joinable = [.. all.Where(r => r.Path is { } path && Joinable(path))];
        _always = [.. all.Where(r => !_joinable.Contains(r))];
        if (_joinable.Length > 0)
        {
            string pattern = string.Join('|', _joinable.Select(r => Group(r.Path!)));
            _joined = Task.Run(() => new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        }
    }

    /// <summary>Adds to <paramref name="matched"/> the rules whose condition <paramref name="path"/>
    /// meets (a rule without one always), in the order they were given within each kind. A rule's
    /// own condition (an interpreted regex with a time limit) that runs past its limit does not
    /// apply: its rule is added to <paramref name="timedOut"/>.</summary>
    public void Match(string path, List<Rule> matched, List<Rule> timedOut)
    {
        MatchEach(_always, path, matched, timedOut);
        // Until the automaton is ready (or if it could not be built), each condition is asked.
        if (_joined is null || (_joined.IsCompletedSuccessfully && !_joined.Result.IsMatch(path)))
        {
            return;
        }
        MatchEach(_joinable, path, matched, timedOut);
    }

    private static void MatchEach(Rule[] rules, string path, List<Rule> matched, List<Rule> timedOut)
    {
        foreach (var rule in rules)
        {
            try
            {
                if (rule.Path is null || rule.Path.IsMatch(path))
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

    private const RegexOptions JoinableOptions = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    /// <summary>What the non-backtracking engine refuses, read from the pattern's text rather than
    /// by building one automaton per rule (the cost this class exists to avoid); a pattern that
    /// merely mentions these characters stays out of the automaton, which costs speed, not results.</summary>
    private static readonly string[] NeedsBacktracking = ["(?=", "(?!", "(?<=", "(?<!", "(?>", "(?(", "\\k<", "\\k'", "\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9"];

    private static bool Joinable(Regex path) =>
        (path.Options & ~(JoinableOptions | RegexOptions.NonBacktracking)) == 0
        && !NeedsBacktracking.Any(construct => path.ToString().Contains(construct, StringComparison.Ordinal));

    // An inline option such as (?i) inside a group lasts to the end of that group only.
    private static string Group(Regex path) =>
        (path.Options & RegexOptions.IgnoreCase) != 0 ? $"(?i:{path})" : $"(?:{path})";
}
