using System.Text;
using LeakGuard.Matching;
using LeakGuard.Matching.Hyperscan;

namespace LeakGuard.Matching.Tests;

/// <summary>Builds both engines for a pattern set. Hyperscan is required here: CI installs
/// libhyperscan5, and a silently skipped half of a differential test proves nothing.</summary>
internal static class Engines
{
    public static readonly string CacheDirectory = Directory.CreateTempSubdirectory("leakguard-hs-tests-").FullName;

    public static IMatchEngine Managed(params PatternDefinition[] patterns) =>
        new ManagedEngine(CompiledPattern.CompileAll(patterns));

    public static IMatchEngine Hyperscan(params PatternDefinition[] patterns)
    {
        Assert.True(MatchEngineFactory.HyperscanAvailable, "libhs.so.5 is not installed (apt-get install libhyperscan5)");
        return new HyperscanEngine(CompiledPattern.CompileAll(patterns), CacheDirectory);
    }

    public static IMatchEngine Create(string engine, params PatternDefinition[] patterns) =>
        engine == "hyperscan" ? Hyperscan(patterns) : Managed(patterns);

    public static List<PatternMatch> Scan(IMatchEngine engine, string text) => Scan(engine, Encoding.Latin1.GetBytes(text));

    public static List<PatternMatch> Scan(IMatchEngine engine, byte[] data)
    {
        var results = new List<PatternMatch>();
        var timedOut = new List<int>();
        engine.Scan(data, results, timedOut);
        Assert.Empty(timedOut);
        return results;
    }

    public static string Secret(string text, PatternMatch m) => text.Substring(m.SecretStart, m.SecretLength);
}
