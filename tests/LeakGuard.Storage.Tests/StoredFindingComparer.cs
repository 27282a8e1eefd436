namespace LeakGuard.Storage.Tests;

/// <summary>Records compare their Details dictionaries and context lines by reference; a stored
/// finding is the same when those hold the same and everything else is equal.</summary>
internal sealed class StoredFindingComparer : IEqualityComparer<StoredFinding>
{
    public static readonly StoredFindingComparer Instance = new();

    public bool Equals(StoredFinding? x, StoredFinding? y) =>
        x is not null && y is not null
        && (x.Id, x.Target, x.FirstSeen, x.LastSeen, x.Status) == (y.Id, y.Target, y.FirstSeen, y.LastSeen, y.Status)
        && x.Finding with { Details = y.Finding.Details, Context = y.Finding.Context } == y.Finding
        && (x.Finding.Context, y.Finding.Context) switch
        {
            (null, null) => true,
            ({ } a, { } b) => a.SecretLine == b.SecretLine && a.Lines.SequenceEqual(b.Lines),
            _ => false,
        };

    public int GetHashCode(StoredFinding obj) => obj.Id.GetHashCode();
}
