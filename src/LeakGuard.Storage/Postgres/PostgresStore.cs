using System.Data.Common;
using LeakGuard.Storage.Relational;
using Npgsql;

namespace LeakGuard.Storage.Postgres;

/// <summary>The shared store for a team's server: a PostgreSQL database named by a connection string.</summary>
public sealed class PostgresStore : RelationalStore
{
    // Any constant works; it only has to be the same in every LeakGuard process.
    private const long MigrationLockKey = 0x4C65616B4775617L;

    private readonly NpgsqlDataSource _dataSource;

    private PostgresStore(NpgsqlDataSource dataSource, TimeProvider time) : base(time) => _dataSource = dataSource;

    public static async Task<PostgresStore> OpenAsync(string connectionString, TimeProvider? time = null, CancellationToken cancellation = default)
    {
        var store = new PostgresStore(NpgsqlDataSource.Create(connectionString), time ?? TimeProvider.System);
        try
        {
            await store.MigrateAsync(cancellation).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    protected override string BinaryColumn => "BYTEA";

    protected override bool IsPostgres => true;

    // Under READ COMMITTED two workers could otherwise pick the same due rows; each skips the
    // rows another is claiming instead of waiting for them.
    protected override string ClaimRowLock => "FOR UPDATE SKIP LOCKED";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellation) =>
        await _dataSource.OpenConnectionAsync(cancellation).ConfigureAwait(false);

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellation)
    {
        var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        // Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL; a transaction-scoped
        // advisory lock makes a second process wait for the first to finish migrating.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
        command.Parameters.Add(new NpgsqlParameter("key", MigrationLockKey));
        await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        return transaction;
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
