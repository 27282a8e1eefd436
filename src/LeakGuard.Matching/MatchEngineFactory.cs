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

    /// <summary>True when libhs loads on this machine.</summary>
    public static bool HyperscanAvailable => HsNative.TryProbe(out _);
}
