using System.CommandLine;
using LeakGuard.Core;
using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Cli.Commands;

/// <summary><c>leakguard rules check</c> and <c>leakguard rules list</c>.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var checkOptions = new ScanCommandOptions(ScanOptionGroups.Rules);
        var check = new Command("check", "Run every rule against its own examples; exit 1 if any example misses or any negative fires");
        checkOptions.AddTo(check);
        check.SetAction(parsed => Check(checkOptions.Read(parsed, [])));

        var listOptions = new ScanCommandOptions(ScanOptionGroups.Rules);
        var list = new Command("list", "List the rules: id, kind, severity, name");
        listOptions.AddTo(list);
        list.SetAction(parsed =>
        {
            foreach (var rule in ScanSession.LoadRules(listOptions.Read(parsed, []), Warn).All.OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                Console.WriteLine($"{rule.Id}\t{rule.Kind.Name()}\t{rule.Severity.Name()}\t{rule.Name}");
            }
            return LeakGuardCommand.Clean;
        });

        return new Command("rules", "Inspect and check detection rules") { check, list };
    }

    private static void Warn(string message) => Stderr.Line($"warning: {message}");

    private static int Check(ScanSettings settings)
    {
        var rules = ScanSession.LoadRules(settings, Warn);
        // Examples are bare snippets: a content rule's path condition is not what they test. A
        // credential-file parser reads its own examples (as the files it is for) and no others.
        var contentOnly = new RuleSet(rules.All.Select(r =>
            r.Parser is not null ? r.WithPathCondition(new Regex($"^{Regex.Escape(r.Id)}/", RegexOptions.CultureInvariant))
            : r.IsPathOnly ? r : r.WithoutPathCondition()));
        using var session = ScanSession.Open(settings, note => Stderr.Line($"note: {note}"), contentOnly);
        var failures = new List<string>();
        var blobs = new List<Blob>();
        var expected = new Dictionary<string, (Rule Rule, bool Positive, string Text)>(StringComparer.Ordinal);
        int examples = 0;
        foreach (var rule in contentOnly.All)
        {
            foreach (var (texts, positive) in new[] { (rule.Examples, true), (rule.NegativeExamples, false) })
            {
                for (int i = 0; i < texts.Count; i++)
                {
                    examples++;
                    if (rule.IsPathOnly)
                    {
                        if (rule.Path!.IsMatch(texts[i]) != positive)
                        {
                            failures.Add(Describe(rule, positive, i, texts[i]));
                        }
                        continue;
                    }
                    string path = $"{rule.Id}/{(positive ? "example" : "negative")}/{i}";
                    expected[path] = (rule, positive, texts[i]);
                    blobs.Add(new Blob { Path = path, Content = Encoding.UTF8.GetBytes(texts[i]) });
                }
            }
        }
        // A rule whose match was merged into a more specific rule's finding still matched.
        var found = session.Scan(blobs.Select(SourceItem.InMemory), keepCompanions: true).Result.Findings
            .SelectMany(f => f.Details.GetValueOrDefault("alsoMatched") is IEnumerable<string> others
                ? others.Append(f.RuleId).Select(id => (f.Location.Path, id))
                : [(f.Location.Path, f.RuleId)])
            .ToHashSet();
        foreach (var (path, (rule, positive, text)) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (found.Contains((path, rule.Id)) != positive)
            {
                failures.Add(Describe(rule, positive, int.Parse(path[(path.LastIndexOf('/') + 1)..]), text));
            }
        }
        failures.AddRange(DelimitedSecrets(session, contentOnly));
        failures.AddRange(BadValidators(contentOnly));
        failures.AddRange(ExponentialPatterns(contentOnly));
        foreach (string failure in failures)
        {
            Console.WriteLine(failure);
        }
        Console.WriteLine($"{contentOnly.All.Count} rules, {examples} examples, engine {session.Engine.Name}: {failures.Count} failed");
        return failures.Count == 0 ? LeakGuardCommand.Clean : LeakGuardCommand.Found;
    }

    /// <summary>Built-in rules' <c>validate:</c> blocks, which a scan checks only when it validates.</summary>
    private static IEnumerable<string> BadValidators(RuleSet rules)
    {
        foreach (var rule in rules.All)
        {
            string? problem = null;
            try
            {
                _ = rule.Validator;
            }
            catch (RuleLoadException e)
            {
                problem = e.Message;
            }
            if (problem is not null)
            {
                yield return problem;
            }
        }
    }

    /// <summary>Patterns whose worst case is exponential: a scan would give up on them at the
    /// confirmation timeout, with a warning, in every file that triggers it.</summary>
    private static IEnumerable<string> ExponentialPatterns(RuleSet rules) =>
        from rule in rules.ContentRules
        let problem = BacktrackingBound.Check(rule.Pattern!)
        where problem is not null
        select $"FAIL {rule.Id} ({rule.Source}): pattern: {problem}";

    /// <summary>What ends a value rather than belongs to it. A secret that starts or ends with one
    /// has a fingerprint that changes with the punctuation around it (<c>bucket,</c> and
    /// <c>bucket;</c> would be two leaks), and a location that is not the secret's.</summary>
    private const string Delimiters = " \t\r\n\"'`,;";

    /// <summary>Positive examples whose secret, as the rule captures it, starts or ends with a delimiter.</summary>
    private static IEnumerable<string> DelimitedSecrets(ScanSession session, RuleSet rules)
    {
        var matches = new List<PatternMatch>();
        var timedOut = new List<int>();
        for (int index = 0; index < rules.ContentRules.Count; index++)
        {
            var rule = rules.ContentRules[index];
            for (int i = 0; i < rule.Examples.Count; i++)
            {
                byte[] text = Encoding.UTF8.GetBytes(rule.Examples[i]);
                matches.Clear();
                timedOut.Clear();
                session.Engine.Scan(text, matches, timedOut);
                foreach (var m in matches.Where(m => m.PatternIndex == index && m.SecretLength > 0))
                {
                    char first = (char)text[m.SecretStart];
                    char last = (char)text[m.SecretStart + m.SecretLength - 1];
                    if (Delimiters.Contains(first) || Delimiters.Contains(last))
                    {
                        char delimiter = Delimiters.Contains(first) ? first : last;
                        yield return $"FAIL {rule.Id} ({rule.Source}): example {i}: the secret {(delimiter == first ? "starts" : "ends")} with '{Shown(delimiter.ToString())}', "
                            + $"which delimits it; capture only the secret (group 1): {Shown(rule.Examples[i])}";
                        break;
                    }
                }
            }
        }
    }

    private static string Shown(string text)
    {
        string shown = text.Length > 120 ? text[..117] + "..." : text;
        return shown.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
    }

    private static string Describe(Rule rule, bool positive, int index, string text)
    {
        string shown = Shown(text);
        return positive
            ? $"FAIL {rule.Id} ({rule.Source}): example {index} does not match: {shown}"
            : $"FAIL {rule.Id} ({rule.Source}): negative example {index} matches: {shown}";
    }
}
