namespace LeakGuard.Matching;

/// <summary>
/// Two engines over one pattern list: one with every pattern, one without the patterns a caller
/// may leave out of a block. A block scanned with exactly those skipped runs in the second, so it
/// pays for them neither in confirmation nor in the prefilter: a skip mask alone still pays for
/// every hit of their keywords, and "token", "key" and "secret" are everywhere in code.
/// </summary>
internal sealed class TieredEngine(IMatchEngine all, IMatchEngine required, int[] requiredToAll, bool[] optional) : IMatchEngine
{
    public string Name => all.Name;

    public IReadOnlyList<CompiledPattern> Patterns => all.Patterns;

    public IReadOnlyList<string> Notes => all.Notes;

    public void Scan(ReadOnlySpan<byte> data, List<PatternMatch> results, List<int> timedOut, ReadOnlySpan<bool> skip = default)
    {
        if (!skip.SequenceEqual(optional))
        {
            all.Scan(data, results, timedOut, skip);
            return;
        }
        int first = results.Count;
        int firstTimedOut = timedOut.Count;
        required.Scan(data, results, timedOut);
        for (int i = firstTimedOut; i < timedOut.Count; i++)
        {
            timedOut[i] = requiredToAll[timedOut[i]];
        }
        // The map is increasing, so matches stay ordered by pattern, then start.
        for (int i = first; i < results.Count; i++)
        {
            results[i] = results[i] with { PatternIndex = requiredToAll[results[i].PatternIndex] };
        }
    }

    public void Dispose()
    {
        required.Dispose();
        all.Dispose();
    }
}
