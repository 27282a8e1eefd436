using System.Text;
using LeakGuard.Core.Rules;
using LeakGuard.Matching;

namespace LeakGuard.Matching.Tests;

/// <summary>
/// The differential test for the rules users actually run: every built-in rule, loaded and
/// compiled as the CLI does (<see cref="RuleLoader.LoadBuiltIn"/>, <see cref="RuleSet"/>,
/// <see cref="MatchEngineFactory"/> with <c>--engine hyperscan</c> and <c>--engine managed</c>),
/// over the real open-source text in Corpus/ (see Corpus/NOTICE.md), with every content rule's
/// own <c>examples:</c> planted into that text. Both engines must report the same match list for
/// every file, and every planted example must be found where it was planted, so a rule set that
/// matched nothing on either side could not pass.
/// </summary>
public class BuiltInRulesEquivalenceTests
{
    private static readonly Lazy<Planted> Corpus = new(PlantExamples);

    [Fact]
    public void Hyperscan_and_managed_report_identical_matches_for_every_built_in_rule_on_real_text_with_planted_examples()
    {
        var corpus = Corpus.Value;
        var notes = new List<string>();
        using var hyperscan = MatchEngineFactory.Create(EngineKind.Hyperscan, corpus.Rules.Patterns, Engines.CacheDirectory, notes.Add);
        using var managed = MatchEngineFactory.Create(EngineKind.Managed, corpus.Rules.Patterns, cacheDirectory: null);
        Assert.Equal("hyperscan", hyperscan.Name);
        Assert.Equal("managed", managed.Name);
        // A built-in pattern Hyperscan cannot compile would run on keyword windows in both
        // engines, and this test would no longer compare Hyperscan's reading of it.
        Assert.Empty(notes);

        int total = 0;
        foreach (var document in corpus.Documents)
        {
            var h = Engines.Scan(hyperscan, document.Bytes);
            var m = Engines.Scan(managed, document.Bytes);
            Assert.True(m.SequenceEqual(h), $"{document.Name}: {FirstDifference(corpus.Rules, m, h, document.Bytes)}");
            total += m.Count;
        }
        Assert.True(total >= corpus.Plants.Count, $"{total} matches for {corpus.Plants.Count} planted examples");
    }

    [Theory]
    [InlineData(EngineKind.Hyperscan)]
    [InlineData(EngineKind.Managed)]
    public void Leaving_out_the_configuration_rules_in_an_engine_of_their_own_reports_what_skipping_them_does(EngineKind kind)
    {
        var corpus = Corpus.Value;
        bool[] optional = [.. corpus.Rules.ContentRules.Select(r => r.ConfigurationOnly)];
        Assert.Contains(true, optional);
        using var full = MatchEngineFactory.Create(kind, corpus.Rules.Patterns, Engines.CacheDirectory);
        using var tiered = MatchEngineFactory.Create(kind, corpus.Rules.Patterns, optional, Engines.CacheDirectory);
        Assert.IsNotType(full.GetType(), tiered);
        int kept = 0, left = 0;
        foreach (var document in corpus.Documents)
        {
            var expected = new List<PatternMatch>();
            full.Scan(document.Bytes, expected, [], optional);
            var actual = new List<PatternMatch>();
            tiered.Scan(document.Bytes, actual, [], optional);
            Assert.True(expected.SequenceEqual(actual), $"{document.Name}: {FirstDifference(corpus.Rules, expected, actual, document.Bytes)}");
            kept += actual.Count;
            // Without the mask, the configuration rules are still there.
            var everything = Engines.Scan(tiered, document.Bytes);
            Assert.True(everything.SequenceEqual(Engines.Scan(full, document.Bytes)), document.Name);
            left += everything.Count(m => optional[m.PatternIndex]);
        }
        Assert.True(kept > 0 && left > 0, $"{kept} matches kept, {left} configuration matches in the whole corpus");
    }

    [Fact]
    public void Every_built_in_rules_planted_examples_are_found_in_the_real_text_by_both_engines()
    {
        var corpus = Corpus.Value;
        Assert.Equal(corpus.Rules.ContentRules.Sum(r => r.Examples.Count), corpus.Plants.Count);
        Assert.True(corpus.Rules.ContentRules.Count >= 100, $"{corpus.Rules.ContentRules.Count} content rules");
        foreach (var kind in new[] { EngineKind.Managed, EngineKind.Hyperscan })
        {
            using var engine = MatchEngineFactory.Create(kind, corpus.Rules.Patterns, Engines.CacheDirectory);
            var missed = new List<string>();
            foreach (var (document, plants) in corpus.Documents.Zip(corpus.PlantsByDocument))
            {
                var found = Engines.Scan(engine, document.Bytes).ToHashSet();
                foreach (var plant in plants)
                {
                    // Where the example alone (between the same line breaks) is matched, shifted to where it was planted.
                    var alone = Engines.Scan(engine, plant.Bytes).Where(x => x.PatternIndex == plant.PatternIndex).ToList();
                    if (alone.Count == 0)
                    {
                        missed.Add($"{plant.RuleId} example {plant.Example}: not matched even alone");
                        continue;
                    }
                    foreach (var x in alone)
                    {
                        var shifted = x with { Start = x.Start + plant.Offset, SecretStart = x.SecretStart + plant.Offset };
                        if (!found.Contains(shifted))
                        {
                            missed.Add($"{plant.RuleId} example {plant.Example}: not found at {document.Name}:{shifted.Start}");
                        }
                    }
                }
            }
            Assert.True(missed.Count == 0, $"{kind}: {missed.Count} planted examples missed:\n{string.Join('\n', missed)}");
        }
    }

    private static string FirstDifference(RuleSet rules, List<PatternMatch> managed, List<PatternMatch> hyperscan, byte[] text)
    {
        int i = 0;
        while (i < managed.Count && i < hyperscan.Count && managed[i] == hyperscan[i])
        {
            i++;
        }
        // The matched text too: the offsets alone do not say which planted example or real line it was.
        string Show(List<PatternMatch> list) => i < list.Count
            ? $"{rules.ContentRules[list[i].PatternIndex].Id} {list[i]} \"{Encoding.UTF8.GetString(text, list[i].Start, list[i].Length).ReplaceLineEndings("\\n")}\""
            : "(end)";
        return $"{managed.Count} managed vs {hyperscan.Count} hyperscan matches; first difference at #{i}: managed {Show(managed)}, hyperscan {Show(hyperscan)}";
    }

    private sealed record Document(string Name, byte[] Bytes);

    /// <summary>One example planted at <see cref="Offset"/>: <see cref="Bytes"/> is the example
    /// between line breaks, exactly as it sits in the document.</summary>
    private sealed record Plant(string RuleId, int PatternIndex, int Example, int Offset, byte[] Bytes);

    private sealed record Planted(RuleSet Rules, List<Document> Documents, List<List<Plant>> PlantsByDocument)
    {
        public List<Plant> Plants => [.. PlantsByDocument.SelectMany(p => p)];
    }

    /// <summary>Reads Corpus/ and deals the examples round-robin over its files, each on a line
    /// of its own at an evenly spaced line break of the real text.</summary>
    private static Planted PlantExamples()
    {
        var rules = new RuleSet(RuleLoader.LoadBuiltIn());
        string root = Path.Join(AppContext.BaseDirectory, "Corpus");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        long size = files.Sum(f => new FileInfo(f).Length);
        Assert.True(files.Count >= 10 && size >= 500_000, $"Corpus/ holds {files.Count} files, {size} bytes");

        var examples = new List<(string RuleId, int PatternIndex, int Example, byte[] Bytes)>();
        for (int p = 0; p < rules.ContentRules.Count; p++)
        {
            var rule = rules.ContentRules[p];
            for (int e = 0; e < rule.Examples.Count; e++)
            {
                examples.Add((rule.Id, p, e, Encoding.UTF8.GetBytes("\n" + rule.Examples[e] + "\n")));
            }
        }

        var documents = new List<Document>();
        var plantsByDocument = new List<List<Plant>>();
        for (int f = 0; f < files.Count; f++)
        {
            byte[] text = File.ReadAllBytes(files[f]);
            var mine = examples.Where((_, k) => k % files.Count == f).ToList();
            var lineStarts = Enumerable.Range(0, text.Length).Where(i => text[i] == '\n').ToList();
            var output = new List<byte>(text.Length + mine.Sum(x => x.Bytes.Length));
            var plants = new List<Plant>();
            int copied = 0;
            for (int k = 0; k < mine.Count; k++)
            {
                // Just before the chosen line break, so the real line ends where the example's line begins.
                int at = lineStarts.Count == 0 ? text.Length : lineStarts[(int)((long)(k + 1) * lineStarts.Count / (mine.Count + 1))];
                output.AddRange(text.AsSpan(copied, at - copied));
                copied = at;
                plants.Add(new Plant(mine[k].RuleId, mine[k].PatternIndex, mine[k].Example, output.Count, mine[k].Bytes));
                output.AddRange(mine[k].Bytes);
            }
            output.AddRange(text.AsSpan(copied));
            documents.Add(new Document(Path.GetRelativePath(root, files[f]), [.. output]));
            plantsByDocument.Add(plants);
        }
        return new Planted(rules, documents, plantsByDocument);
    }
}
