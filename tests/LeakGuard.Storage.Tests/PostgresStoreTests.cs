using LeakGuard.Tests.Shared;
using Npgsql;

namespace LeakGuard.Storage.Tests;

public sealed class PostgresStoreTests(PostgresServer server) : StoreBehaviour, IClassFixture<PostgresServer>
{
    protected override string NewStoreString() => server.CreateDatabase();

    [Fact]
    public async Task A_postgresql_uri_names_the_same_database_as_its_connection_string()
    {
        var connectionString = server.CreateDatabase();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var store = await StoreFactory.OpenAsync(connectionString))
        {
            await store.RecordReleaseAsync("npm:@acme/cli", "@acme/cli", "2.1.0", "{}");
        }

        await using var viaUri = await StoreFactory.OpenAsync($"postgresql://postgres@127.0.0.1:{server.Port}/{database}");

        Assert.Equal("2.1.0", Assert.Single(await viaUri.GetReleasesAsync("npm:@acme/cli", "@acme/cli")).Key);
    }
}
