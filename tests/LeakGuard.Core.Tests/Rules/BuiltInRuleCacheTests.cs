using LeakGuard.Core.Rules;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Rules;

/// <summary>The built-in rules read from the cache folder are the rules read from YAML.</summary>
public class BuiltInRuleCacheTests
{
    private static string Describe(Rule r) => string.Join(" | ", r.Id, r.Name, r.Kind, r.Severity, r.Confidence, r.JudgedByContext,
        r.ConfigurationOnly, r.Pattern, r.Parser, r.Entropy, r.Path, string.Join(',', r.Keywords), string.Join(',', r.Tags),
        string.Join(',', r.Examples), string.Join(',', r.NegativeExamples), string.Join(',', r.References), r.Source);

    [Fact]
    public void The_cached_rules_are_the_rules_read_from_YAML()
    {
        string cache = CoreTestKit.TempDirectory();
        var fromYaml = RuleLoader.LoadBuiltIn().Select(Describe).ToList();
        Assert.Equal(fromYaml, RuleLoader.LoadBuiltIn(cache).Select(Describe));
        Assert.Single(Directory.GetFiles(cache, "rules-*.bin"));
        Assert.Equal(fromYaml, RuleLoader.LoadBuiltIn(cache).Select(Describe));
    }

    [Fact]
    public void A_second_run_reads_the_cache_not_the_YAML()
    {
        string cache = CoreTestKit.TempDirectory();
        string first = RuleLoader.LoadBuiltIn(cache)[0].Name;
        string file = Directory.GetFiles(cache, "rules-*.bin").Single();
        // The same length, so the length-prefixed string still reads: only the text differs.
        string changed = new('Z', first.Length);
        byte[] bytes = File.ReadAllBytes(file);
        byte[] name = System.Text.Encoding.UTF8.GetBytes(first);
        int at = bytes.AsSpan().IndexOf(name);
        name.AsSpan().Fill((byte)'Z');
        name.CopyTo(bytes, at);
        File.WriteAllBytes(file, bytes);
        Assert.Equal(changed, RuleLoader.LoadBuiltIn(cache)[0].Name);
    }

    [Fact]
    public void Every_field_of_a_rule_document_survives_the_cache()
    {
        // A field added to RuleDocument or ValidateDocument but not to the cache's format fails here.
        var document = new RuleDocument { Validate = new ValidateDocument() };
        int n = 0;
        foreach (object target in new object[] { document, document.Validate })
        {
            foreach (var property in target.GetType().GetProperties())
            {
                n++;
                object? value = property.PropertyType switch
                {
                    var t when t == typeof(string) => $"text {n}",
                    var t when t == typeof(double?) => n + 0.5,
                    var t when t == typeof(bool?) => true,
                    // Numbers larger than the bytes that follow them: they are values, not counts.
                    var t when t == typeof(int?) => 100_000 + n,
                    var t when t == typeof(List<string>) => new List<string> { $"item {n}", $"other {n}" },
                    var t when t == typeof(List<string?>) => new List<string?> { $"item {n}", null },
                    var t when t == typeof(List<int>) => new List<int> { 100_000 + n, -n },
                    var t when t == typeof(Dictionary<string, string>) => new Dictionary<string, string> { [$"key {n}"] = $"value {n}" },
                    var t when t == typeof(Dictionary<string, List<string>>) => new Dictionary<string, List<string>> { [$"key {n}"] = [$"value {n}"] },
                    var t when t == typeof(ValidateDocument) => property.GetValue(target),
                    var t => throw new InvalidOperationException($"{property.Name}: no test value for {t}"),
                };
                property.SetValue(target, value);
            }
        }
        var stream = new MemoryStream();
        RuleDocumentBinary.Write(stream, [new RuleDocumentFile("rules/x.yaml", [document, new RuleDocument()])]);
        var read = RuleDocumentBinary.Read(stream.ToArray());
        // Examples, negative examples and references come back decoded when first read.
        foreach (var rule in read[0].Rules)
        {
            Assert.Null(rule.Examples);
            (rule.Examples, rule.NegativeExamples, rule.References) =
                (rule.CachedExamples?.ToList(), rule.CachedNegativeExamples?.ToList(), rule.CachedReferences?.ToList());
        }

        var options = new System.Text.Json.JsonSerializerOptions { WriteIndented = false };
        Assert.Equal("rules/x.yaml", read.Single().Source);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(document, options), System.Text.Json.JsonSerializer.Serialize(read[0].Rules[0], options));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(new RuleDocument(), options), System.Text.Json.JsonSerializer.Serialize(read[0].Rules[1], options));
    }

    [Fact]
    public void Writing_a_new_cache_leaves_only_the_most_recently_used_rule_caches()
    {
        string cache = CoreTestKit.TempDirectory();
        for (int i = 0; i < 12; i++)
        {
            string stale = Path.Join(cache, $"rules-stale{i:x2}.bin");
            File.WriteAllText(stale, "");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1 - i));
        }
        // The JSON cache of earlier versions goes at once.
        File.WriteAllText(Path.Join(cache, "rules-0123456789abcdef.json"), "[]");

        RuleLoader.LoadBuiltIn(cache);

        var left = Directory.GetFiles(cache, "rules-*").Select(Path.GetFileName).ToList();
        Assert.Equal(Matching.CacheFiles.Kept, left.Count);
        Assert.Single(left, name => !name!.StartsWith("rules-stale", StringComparison.Ordinal));
        Assert.DoesNotContain("rules-stale0b.bin", left);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("first half")]
    [InlineData("one byte more")]
    [InlineData("huge count")]
    [InlineData("other files")]
    public void A_damaged_cache_is_read_from_YAML_again_and_replaced(string damage)
    {
        string cache = CoreTestKit.TempDirectory();
        RuleLoader.LoadBuiltIn(cache);
        string file = Directory.GetFiles(cache, "rules-*.bin").Single();
        byte[] good = File.ReadAllBytes(file);
        byte[] bad = damage switch
        {
            "empty" => [],
            "text" => "[{\"Source\": \"rules/ably.yaml\"}]"u8.ToArray(),
            "first half" => good[..(good.Length / 2)],
            "one byte more" => [.. good, 0],
            // The file count, right after the magic string, claims more files than bytes.
            "huge count" => [.. good[..16], 0xff, 0xff, 0xff, 0x7f, .. good[20..]],
            _ => Written([new RuleDocumentFile("rules/other.yaml", [new RuleDocument { Id = "x" }])]),
        };
        File.WriteAllBytes(file, bad);
        Assert.Equal(RuleLoader.LoadBuiltIn().Select(Describe), RuleLoader.LoadBuiltIn(cache).Select(Describe));
        Assert.Equal(good, File.ReadAllBytes(file));
    }

    private static byte[] Written(List<RuleDocumentFile> files)
    {
        var stream = new MemoryStream();
        RuleDocumentBinary.Write(stream, files);
        return stream.ToArray();
    }
}
