namespace LeakGuard.Matching;

/// <summary>The distinct keywords of a pattern set (lower-case ASCII) and, for each, the
/// patterns that declared it. Both engines report keyword occurrences as indexes into it.</summary>
internal sealed class KeywordTable
{
    public KeywordTable(IReadOnlyList<CompiledPattern> patterns)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var keywords = new List<byte[]>();
        var owners = new List<List<int>>();
        foreach (var pattern in patterns)
        {
            foreach (byte[] keyword in pattern.KeywordBytes)
            {
                string key = System.Text.Encoding.ASCII.GetString(keyword);
                if (!index.TryGetValue(key, out int k))
                {
                    k = keywords.Count;
                    index.Add(key, k);
                    keywords.Add(keyword);
                    owners.Add([]);
                }
                if (!owners[k].Contains(pattern.Index))
                {
                    owners[k].Add(pattern.Index);
                }
            }
        }
        Keywords = [.. keywords];
        PatternsOf = [.. owners.Select(o => o.ToArray())];
    }

    public byte[][] Keywords { get; }

    public int[][] PatternsOf { get; }
}
