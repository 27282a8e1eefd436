namespace LeakGuard.Storage.Tests;

public sealed class SqliteStoreTests : StoreBehaviour, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("leakguard-sqlite-");

    // A folder that does not exist yet: the store creates it with the file.
    protected override string NewStoreString() => "sqlite:" + Path.Combine(_folder.FullName, "state", "leakguard.db");

    public void Dispose() => _folder.Delete(recursive: true);
}
