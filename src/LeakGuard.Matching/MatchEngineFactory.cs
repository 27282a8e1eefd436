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
        int[] required = [.. Enumerable.Range(0, patterns.Count).Where(i => !optional[i])];
        if (required.Length == 0 || required.Length == patterns.Count)
        {
            return Create(kind, patterns, cacheDirectory, note);
        }
        // The two engines are built (or loaded from the cache: reading and deserialising ~5 MB
        // each) at once, which a one-file scan waits for. Notes (a fallback, a refused pattern)
        // are given for the whole set.
        var subsetBuild = Task.Factory.StartNew(() => Create(kind, [.. required.Select((p, i) => patterns[p].At(i))], cacheDirectory),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        IMatchEngine all;
        try
        {
            all = Create(kind, patterns, cacheDirectory, note);
        }
        catch
        {
            subsetBuild.ContinueWith(t => t.Result.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
            throw;
        }
        IMatchEngine subset;
        try
        {
            subset = subsetBuild.GetAwaiter().GetResult();
        }
        catch
        {
            all.Dispose();
            throw;
        }
        return new TieredEngine(all, subset, required, [.. optional]);
    }

    /// <summary>True when libhs loads on this machine.</summary>
    public static bool HyperscanAvailable => HsNative.TryProbe(out _);
}
