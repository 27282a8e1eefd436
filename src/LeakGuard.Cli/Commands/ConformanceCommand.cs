using System.CommandLine;
using LeakGuard.Core;
using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules.Conformance;
using LeakGuard.Core.Scanning;
using LeakGuard.Sources.FileSystem;

namespace LeakGuard.Cli.Commands;

/// <summary>
/// <c>leakguard conformance CORPUS.jsonl</c>: scores LeakGuard against a third-party corpus of
/// labelled examples (the Nosey Parker rule examples in shared/corpora). Each example is written
/// to its own file and the files are scanned like any directory; a positive counts as found when
/// any finding lands in its file, a negative as a false positive when any does.
/// </summary>
internal static partial class ConformanceCommand
{
    // Upstream rules outside Nosey Parker's default rule set (asset identifiers, password hashes…),
    // as listed in the corpus README; scored, but not part of the gate.
    private static readonly HashSet<string> NotDefault = new(StringComparer.Ordinal)
    {
        "np.age.1", "np.arn.1", "np.aws.1", "np.aws.3", "np.gcs.1", "np.gcs.2", "np.github.5", "np.google.1",
        "np.krb5.asrep.23.1", "np.linkedin.1", "np.mapbox.1", "np.pwhash.1", "np.pwhash.2", "np.pwhash.3",
        "np.pwhash.4", "np.pwhash.5", "np.s3.1", "np.s3.2", "np.segment.1", "np.shopify.1", "np.twitter.1",
    };

    public static Command Create()
    {
        var rules = new ScanCommandOptions(ScanOptionGroups.Rules);
        var corpus = new Argument<string>("corpus") { Description = "JSONL corpus: one {rule_id, kind, text} object per line" };
        var minRecall = new Option<double>("--min-recall") { DefaultValueFactory = _ => 0.90, Description = "Gate: recall on real-looking positives of the default rule set" };
        var maxFalse = new Option<double>("--max-false-positives") { DefaultValueFactory = _ => 0.10, Description = "Gate: share of negatives with a finding" };
        var verbose = new Option<bool>("--verbose") { Description = "List every miss and false positive" };
        var command = new Command("conformance", "Score the rules against a labelled third-party corpus") { corpus, minRecall, maxFalse, verbose };
        rules.AddTo(command);
        command.SetAction(parsed => Run(rules.Read(parsed, []), parsed.GetValue(corpus)!, parsed.GetValue(minRecall), parsed.GetValue(maxFalse), parsed.GetValue(verbose)));
        return command;
    }

    private static int Run(ScanSettings settings, string corpusPath, double minRecall, double maxFalse, bool verbose)
    {
        var examples = LabelledCorpus.Read(corpusPath);
        string folder = Directory.CreateTempSubdirectory("leakguard-conformance-").FullName;
        try
        {
            foreach (var example in examples)
            {
                File.WriteAllText(Path.Join(folder, $"{example.Index}.txt"), example.Text);
            }
            // Scored at the default --min-confidence, as users get it; findings below it are scanned
            // too, to say what a lower setting would find.
            using var session = ScanCommandOptions.Open(settings with { MinConfidence = Confidence.Low });
            var source = new FileSystemSource([folder], new FileSystemOptions(), (_, _) => { });
            var result = session.Scan(source.Enumerate()).Result;
            Dictionary<int, List<string>> HitsFrom(IEnumerable<Finding> findings) => findings
                .GroupBy(f => int.Parse(Path.GetFileNameWithoutExtension(f.Location.Path)))
                .ToDictionary(g => g.Key, g => g.Select(f => f.RuleId).Distinct().ToList());
            var hits = HitsFrom(result.Findings.Where(f => f.Confidence >= settings.MinConfidence));
            var anyConfidence = HitsFrom(result.Findings);

            var positiveTexts = examples.Where(e => e.Positive).Select(e => e.Text).ToHashSet(StringComparer.Ordinal);
            var positives = examples.Where(e => e.Positive).ToList();
            var gated = positives.Where(e => !NotDefault.Contains(e.RuleId) && !LooksLikePlaceholder(e.Text)).ToList();
            var placeholders = positives.Where(e => LooksLikePlaceholder(e.Text)).ToList();
            var negatives = examples.Where(e => !e.Positive && !positiveTexts.Contains(e.Text)).ToList();
            int sharedNegatives = examples.Count(e => !e.Positive) - negatives.Count;

            double Share(IEnumerable<LabelledExample> set, out int count, out int total)
            {
                var list = set.ToList();
                total = list.Count;
                count = list.Count(e => hits.ContainsKey(e.Index));
                return total == 0 ? 0 : (double)count / total;
            }

            double recallAll = Share(positives, out int foundAll, out int totalAll);
            double recallGated = Share(gated, out int foundGated, out int totalGated);
            Share(placeholders, out int foundPlaceholders, out int totalPlaceholders);
            double falseRate = Share(negatives, out int falseCount, out int totalNegatives);

            Console.WriteLine($"corpus: {corpusPath} ({examples.Count} examples), engine {session.Engine.Name}, {session.Rules.All.Count} rules");
            Console.WriteLine($"recall, all positives:                       {foundAll}/{totalAll} = {recallAll:P1}");
            Console.WriteLine($"recall, default rule set, not placeholders:  {foundGated}/{totalGated} = {recallGated:P1} (gate >= {minRecall:P0})");
            Console.WriteLine($"placeholder/dummy positives found:           {foundPlaceholders}/{totalPlaceholders}");
            int lowOnly = gated.Count(e => anyConfidence.ContainsKey(e.Index) && !hits.ContainsKey(e.Index));
            Console.WriteLine($"  (confidence below {settings.MinConfidence.Name()}: {lowOnly} more of the default rule set's positives, {negatives.Count(e => anyConfidence.ContainsKey(e.Index) && !hits.ContainsKey(e.Index))} more negatives)");
            Console.WriteLine($"false positives on negatives:                {falseCount}/{totalNegatives} = {falseRate:P1} (gate <= {maxFalse:P0}; {sharedNegatives} negatives that are another rule's positive not counted)");
            var missed = positives.Where(e => !hits.ContainsKey(e.Index)).ToList();
            Console.WriteLine("missed positives by upstream rule: " + string.Join(", ",
                missed.GroupBy(e => e.RuleId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}")));
            if (verbose)
            {
                foreach (var e in missed)
                {
                    string flag = LooksLikePlaceholder(e.Text) ? " (placeholder)" : NotDefault.Contains(e.RuleId) ? " (not in the default set)" : "";
                    Console.WriteLine($"  miss {e.RuleId} #{e.Index}{flag}: {Shorten(e.Text)}");
                }
                foreach (var e in negatives.Where(e => hits.ContainsKey(e.Index)))
                {
                    Console.WriteLine($"  false positive {e.RuleId} #{e.Index} ({string.Join(",", hits[e.Index])}): {Shorten(e.Text)}");
                }
            }
            bool pass = recallGated >= minRecall && falseRate <= maxFalse;
            Console.WriteLine(pass ? "conformance: pass" : "conformance: FAIL");
            return pass ? LeakGuardCommand.Clean : LeakGuardCommand.Found;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The corpus README's flags for dummy values: placeholder words, sequential runs,
    /// or only low-entropy long tokens. A scanner that filters such values misses them on purpose.</summary>
    internal static bool LooksLikePlaceholder(string text)
    {
        if (PlaceholderWord().IsMatch(text) || SequentialRun().IsMatch(text))
        {
            return true;
        }
        var tokens = LongToken().Matches(text).Select(m => m.Value).ToList();
        return tokens.Count > 0 && tokens.All(t => Core.Findings.SecretText.Entropy(System.Text.Encoding.ASCII.GetBytes(t)) < 2.5);
    }

    private static string Shorten(string text)
    {
        string flat = text.ReplaceLineEndings("\\n");
        return flat.Length > 100 ? flat[..97] + "..." : flat;
    }

    [GeneratedRegex(@"example|your_|xxxxxx|<[^<>\s]{1,40}>|fake", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceholderWord();

    [GeneratedRegex(@"ABCDEFGH|abcdefgh|12345678|DEADBEEF|deadbeef")]
    private static partial Regex SequentialRun();

    // A token is a base64-like run: a key name such as aws_secret_access_key splits at its
    // underscores, so the README's own example (aws_secret_access_key:aaaa…) counts as low-entropy.
    [GeneratedRegex(@"[A-Za-z0-9+/=]{16,}")]
    private static partial Regex LongToken();
}
