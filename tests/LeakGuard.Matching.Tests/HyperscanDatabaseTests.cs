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
}
