using LeakGuard.Matching.Hyperscan;

namespace LeakGuard.Matching;

/// <summary>Builds the engine the user asked for; <see cref="EngineKind.Auto"/> prefers Hyperscan
/// and says why when it falls back.</summary>
public static class MatchEngineFactory
{
    public static IMatchEngine Create(EngineKind kind, IReadOnlyList<PatternDefinition> definitions, string? cacheDirectory,
        Action<string>? note = null)
    {
        var patterns = CompiledPattern.CompileAll(definitions);
        return Create(kind, patterns, cacheDirectory, note);
    }

    public static IMatchEngine Create(EngineKind kind, IReadOnlyList<CompiledPattern> patterns, string? cacheDirectory,
        Action<string>? note = null)
    {
        if (kind == EngineKind.Managed)
        {
            return new ManagedEngine(patterns);
        }
        if (!HsNative.TryProbe(out string reason))
        {
            if (kind == EngineKind.Hyperscan)
            {
                throw new InvalidOperationException($"--engine hyperscan: {reason}");
            }
            note?.Invoke($"engine: managed ({reason})");
            return new ManagedEngine(patterns);
        }
        var engine = new HyperscanEngine(patterns, cacheDirectory);
        foreach (string line in engine.Notes)
        {
            note?.Invoke(line);
        }
        return engine;
    }

    /// <summary>An engine whose blocks may leave out the <paramref name="optional"/> patterns (a
    /// skip mask equal to it) at no cost for them: see <see cref="TieredEngine"/>.</summary>
    public static IMatchEngine Create(EngineKind kind, IReadOnlyList<CompiledPattern> patterns, IReadOnlyList<bool> optional,
        string? cacheDirectory, Action<string>? note = null)
    {
        var all = Create(kind, patterns, cacheDirectory, note);
        int[] required = [.. Enumerable.Range(0, patterns.Count).Where(i => !optional[i])];
        if (required.Length == 0 || required.Length == patterns.Count)
        {
            return all;
        }
        // Notes (a fallback, a refused pattern) were given for the whole set already.
        var subset = Create(kind, [.. required.Select((p, i) => patterns[p].At(i))], cacheDirectory);
        return new TieredEngine(all, subset, required, [.. optional]);
    }

    /// <summary>True when libhs loads on this machine.</summary>
    public static bool HyperscanAvailable => HsNative.TryProbe(out _);
}
