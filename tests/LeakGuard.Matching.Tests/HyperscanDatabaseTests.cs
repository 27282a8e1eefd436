using LeakGuard.Matching;
using LeakGuard.Matching.Hyperscan;

namespace LeakGuard.Matching.Tests;

public class HyperscanDatabaseTests
{
    private static readonly PatternDefinition Token = new("t", @"\b(tok_[a-z0-9]{20})\b", ["tok_"]);

    [Fact]
    public void A_second_start_loads_the_database_from_the_cache()
    {
        string cache = Directory.CreateTempSubdirectory("leakguard-hs-cache-").FullName;
        using (var first = new HyperscanEngine(CompiledPattern.CompileAll([Token]), cache))
        {
            Assert.False(first.LoadedFromCache);
        }
        Assert.Single(Directory.GetFiles(cache, "hs-*.db"));
        using var second = new HyperscanEngine(CompiledPattern.CompileAll([Token]), cache);
        Assert.True(second.LoadedFromCache);
        Assert.Single(Engines.Scan(second, "x tok_abcdefghij0123456789 y"));
    }

    [Fact]
    public void A_changed_rule_set_does_not_reuse_the_cached_database()
    {
        string cache = Directory.CreateTempSubdirectory("leakguard-hs-cache-").FullName;
        using (new HyperscanEngine(CompiledPattern.CompileAll([Token]), cache))
        {
        }
        var changed = Token with { Pattern = @"\b(tok_[a-z0-9]{21})\b" };
        using var engine = new HyperscanEngine(CompiledPattern.CompileAll([changed]), cache);
        Assert.False(engine.LoadedFromCache);
        Assert.Equal(2, Directory.GetFiles(cache, "hs-*.db").Length);
    }

    [Fact]
    public void A_corrupt_cache_file_is_ignored_and_rebuilt()
    {
        string cache = Directory.CreateTempSubdirectory("leakguard-hs-cache-").FullName;
        using (new HyperscanEngine(CompiledPattern.CompileAll([Token]), cache))
        {
        }
        string file = Assert.Single(Directory.GetFiles(cache, "hs-*.db"));
        File.WriteAllBytes(file, new byte[100]);
        using var engine = new HyperscanEngine(CompiledPattern.CompileAll([Token]), cache);
        Assert.False(engine.LoadedFromCache);
        Assert.Single(Engines.Scan(engine, "tok_abcdefghij0123456789"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(-100)]
    [InlineData(-1)]
    public void A_cache_file_cut_short_is_ignored_and_rebuilt(int keep)
    {
        // keep ≥ 0: the first bytes only (the header cut); < 0: all but the last -keep (the database cut).
        string cache = Directory.CreateTempSubdirectory("leakguard-hs-cache-").FullName;
        using (new HyperscanEngine(CompiledPattern.CompileAll([Token]), cache))
        {
        }
        string file = Assert.Single(Directory.GetFiles(cache, "hs-*.db"));
        byte[] whole = File.ReadAllBytes(file);
        File.WriteAllBytes(file, whole[..(keep >= 0 ? keep : whole.Length + keep)]);
        using var engine = new HyperscanEngine(CompiledPattern.CompileAll([Token]), cache);
        Assert.False(engine.LoadedFromCache);
        Assert.Single(Engines.Scan(engine, "tok_abcdefghij0123456789"));
        Assert.Equal(whole, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_pattern_hyperscan_rejects_falls_back_to_keyword_windows_with_a_note()
    {
        // Hyperscan refuses a '^' after the start of a pattern ("Embedded start anchors not
        // supported"); .NET, in multi-line mode, reads it as "at a line start", as the dialect does.
        var embedded = new PatternDefinition("embedded", @"big_[a-z]{2,4}\n^[a-z]{3}", ["big_"]);
        using var engine = new HyperscanEngine(CompiledPattern.CompileAll([Token, embedded]), cacheDirectory: null);
        Assert.Contains(engine.Notes, n => n.Contains("'embedded'", StringComparison.Ordinal));
        Assert.Single(Engines.Scan(engine, "x big_abc\nxyz y"));
        Assert.Single(Engines.Scan(engine, "tok_abcdefghij0123456789"));
    }

    [Fact]
    public void Disposing_frees_the_database_once_and_an_empty_rule_set_has_none()
    {
        var patterns = CompiledPattern.CompileAll([Token]);
        var database = HyperscanDatabase.Build(patterns, new KeywordTable(patterns).Keywords, cacheDirectory: null, HyperscanDatabase.Part.Patterns);
        Assert.False(database.Handle.IsInvalid);

        database.Dispose();
        database.Dispose();

        Assert.True(database.Handle.IsClosed);
        using var empty = HyperscanDatabase.Build([], [], cacheDirectory: null, HyperscanDatabase.Part.Patterns);
        Assert.True(empty.Handle.IsInvalid);
    }

    [Fact]
    public void Keywords_are_found_near_the_patterns_ends_in_any_letter_case_and_after_non_ascii_bytes()
    {
        // The database holds the patterns alone; each pattern's keywords are looked for, ASCII
        // letters folded, only in the windows its ends give.
        var caseless = new PatternDefinition("c", @"(?i)\b(tok_[a-z0-9]{20})\b", ["tok_"]);
        using var engine = new HyperscanEngine(CompiledPattern.CompileAll([caseless]), cacheDirectory: null);
        byte[] text = [.. System.Text.Encoding.UTF8.GetBytes("\u00e9\u00df\u20ac TOK_ABCDEFGHIJ0123456789 x Tok_abcdefghij0123456789\n")];
        var results = new List<PatternMatch>();
        engine.Scan(text, results, []);
        Assert.Equal(2, results.Count);
        Assert.All(results, m => Assert.Equal("tok_", System.Text.Encoding.ASCII.GetString(text, m.Start, 4).ToLowerInvariant()));
    }

    [Fact]
    public void A_warm_scan_allocates_nothing_with_or_without_keyword_hits()
    {
        using var engine = Engines.Hyperscan(Token);
        // Keyword hits that no pattern confirms: the match callback runs, and nothing is reported.
        byte[] hits = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("tok_ short tok_! ", 500)));
        byte[] quiet = new byte[64 * 1024];
        var results = new List<PatternMatch>();
        var timedOut = new List<int>();
        engine.Scan(hits, results, timedOut);
        engine.Scan(quiet, results, timedOut);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            engine.Scan(hits, results, timedOut);
            engine.Scan(quiet, results, timedOut);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Empty(results);
    }
}
