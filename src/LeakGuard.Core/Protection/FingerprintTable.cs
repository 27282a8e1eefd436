using System.Collections;

namespace LeakGuard.Core.Protection;

/// <summary>Where a fingerprint occurs in its codebase: the file and the lines its run spans.</summary>
public readonly record struct FingerprintPlace(int File, int StartLine, int EndLine);

/// <summary>
/// One codebase's fingerprints sorted by hash, as two arrays (hashes, places): the table a scan
/// searches. An index file stores them in this order, so loading one fills the arrays and neither
/// copies nor sorts them; an index of many codebases searches each table in turn.
/// </summary>
public sealed class FingerprintTable : IReadOnlyList<ProtectedFingerprint>
{
    private readonly ulong[] _hashes;
    private readonly FingerprintPlace[] _places;

    /// <summary>Takes the arrays as they are when the hashes are in order, else sorts them together.</summary>
    internal FingerprintTable(ulong[] hashes, FingerprintPlace[] places)
    {
        if (!IsSorted(hashes))
        {
            Array.Sort(hashes, places);
        }
        (_hashes, _places) = (hashes, places);
    }

    public static FingerprintTable Empty { get; } = new([], []);

    /// <summary>A table of <paramref name="fingerprints"/>, ordered by hash, then file and line.</summary>
    public static FingerprintTable Of(IEnumerable<ProtectedFingerprint> fingerprints)
    {
        var sorted = fingerprints.Order().ToArray();
        return new FingerprintTable([.. sorted.Select(f => f.Hash)], [.. sorted.Select(f => new FingerprintPlace(f.File, f.StartLine, f.EndLine))]);
    }

    public int Count => _hashes.Length;

    public ProtectedFingerprint this[int index] =>
        new(_hashes[index], _places[index].File, _places[index].StartLine, _places[index].EndLine);

    internal ReadOnlySpan<ulong> Hashes => _hashes;

    /// <summary>Where <paramref name="hash"/> occurs in this codebase (empty when nowhere).</summary>
    public ReadOnlySpan<FingerprintPlace> Lookup(ulong hash)
    {
        int at = Array.BinarySearch(_hashes, hash);
        if (at < 0)
        {
            return [];
        }
        int first = at;
        while (first > 0 && _hashes[first - 1] == hash)
        {
            first--;
        }
        int end = at + 1;
        while (end < _hashes.Length && _hashes[end] == hash)
        {
            end++;
        }
        return _places.AsSpan(first, end - first);
    }

    public IEnumerator<ProtectedFingerprint> GetEnumerator()
    {
        for (int i = 0; i < _hashes.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static bool IsSorted(ulong[] hashes)
    {
        for (int i = 1; i < hashes.Length; i++)
        {
            if (hashes[i] < hashes[i - 1])
            {
                return false;
            }
        }
        return true;
    }
}
