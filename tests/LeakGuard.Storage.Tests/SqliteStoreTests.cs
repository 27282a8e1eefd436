namespace LeakGuard.Storage.Tests;

public sealed class SqliteStoreTests : StoreBehaviour, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("leakguard-sqlite-");

    // A folder that does not exist yet: the store creates it with the file.
    protected override string NewStoreString() => "sqlite:" + Path.Combine(_folder.FullName, "state", "leakguard.db");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task The_database_file_and_its_folder_are_created_on_first_open()
    {
        var path = Path.Combine(_folder.FullName, "new", "deeper", "leakguard.db");

        await using (await StoreFactory.OpenAsync("sqlite:" + path))
        {
        }

        Assert.True(File.Exists(path));
    }
}
