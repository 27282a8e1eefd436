using System.Text.RegularExpressions;

namespace LeakGuard.Core.Rules;

/// <summary>
/// Finds the rules whose path condition a path meets, in one pass for most of them: conditions
/// that can run without backtracking are joined into one non-backtracking automaton, so the many
/// paths no rule names cost one match instead of one per rule. Conditions that need backtracking
/// (a look-around, a back-reference) and rules without a condition are checked on every path.
/// Building the automaton costs ~0.4 s of CPU with the built-in rules, more than checking a few
/// hundred paths rule by rule, so it is built only once a scan has checked
/// <see cref="PathsBeforeJoining"/> paths, in the background, and paths are checked rule by rule
/// until it is ready: a scan of a few files neither waits for it nor shares a core with it. Should
/// it fail to build, paths are checked rule by rule throughout.
/// </summary>
public sealed class PathFilter
{
    internal const int PathsBeforeJoining = 256;

    private readonly string? _joinedPattern;
    private Task<Regex>? _joined;
    private int _paths;
    private readonly Rule[] _joinable;
    private readonly Rule[] _always;

    public PathFilter(IEnumerable<Rule> rules)
    {
        var all = rules.ToList();
        _joinable = [.. all.Where(r => r.Path is { } path && Joinable(path))];
        _always = [.. all.Where(r => !_joinable.Contains(r))];
        if (_joinable.Length > 0)
        {
            _joinedPattern = string.Join('|', _joinable.Select(r => Group(r.Path!)));
        }
    }

    /// <summary>The automaton being built, once enough paths were checked; null before.</summary>
    internal Task? Joining => Volatile.Read(ref _joined);

    /// <summary>Adds to <paramref name="matched"/> the rules whose condition <paramref name="path"/>
    /// meets (a rule without one always), in the order they were given within each kind. A rule's
    /// own condition (an interpreted regex with a time limit) that runs past its limit does not
    /// apply: its rule is added to <paramref name="timedOut"/>.</summary>
    public void Match(string path, List<Rule> matched, List<Rule> timedOut)
    {
        MatchEach(_always, path, matched, timedOut);
        var joined = Volatile.Read(ref _joined);
        if (joined is null && _joinedPattern is not null && Interlocked.Increment(ref _paths) == PathsBeforeJoining)
        {
            string pattern = _joinedPattern;
            Volatile.Write(ref _joined, Task.Run(() => new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)));
        }
        // Until the automaton is ready (or if it could not be built), each condition is asked.
        if (joined is { IsCompletedSuccessfully: true } && !joined.Result.IsMatch(path))
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
