using System.Text.Json;

namespace LeakGuard.Core.Rules.Conformance;

/// <summary>One labelled example of a third-party corpus: the upstream rule it belongs to, whether
/// it is a secret (positive) or a look-alike (negative), and its text.</summary>
public sealed record LabelledExample(int Index, string RuleId, bool Positive, string Text);

/// <summary>
/// Reads a labelled JSONL corpus (the Nosey Parker rule examples in shared/corpora): one
/// <c>{"rule_id", "kind": "positive"|"negative", "text"}</c> object per line. Read by
/// <c>leakguard conformance</c> and by the test that imports the peer's own rules.
/// </summary>
public static class LabelledCorpus
{
    /// <exception cref="UsageException">The file is missing or a line is not a corpus record.</exception>
    public static List<LabelledExample> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such corpus file");
        }
        var examples = new List<LabelledExample>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                examples.Add(new LabelledExample(examples.Count, root.GetProperty("rule_id").GetString()!,
                    root.GetProperty("kind").GetString() == "positive", root.GetProperty("text").GetString()!));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new UsageException($"{path}:{lineNumber}: not a corpus record ({e.Message})");
            }
        }
        return examples;
    }
}
