namespace LeakGuard.Storage.Tests;

/// <summary>Records compare their Details dictionaries by reference; a stored finding is the
/// same when everything else is.</summary>
internal sealed class StoredFindingComparer : IEqualityComparer<StoredFinding>
{
    public static readonly StoredFindingComparer Instance = new();

    public bool Equals(StoredFinding? x, StoredFinding? y) =>
        x is not null && y is not null
        && (x.Id, x.Target, x.FirstSeen, x.LastSeen, x.Status) == (y.Id, y.Target, y.FirstSeen, y.LastSeen, y.Status)
        && x.Finding with { Details = y.Finding.Details } == y.Finding;

    public int GetHashCode(StoredFinding obj) => obj.Id.GetHashCode();
}
