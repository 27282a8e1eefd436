using System.Data.Common;
using LeakGuard.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace LeakGuard.Storage.Sqlite;

/// <summary>The embedded store: one file, created with its folder on first open.</summary>
public sealed class SqliteStore : RelationalStore
{
    private readonly string _connectionString;

    private SqliteStore(string connectionString, TimeProvider time) : base(time) => _connectionString = connectionString;

    public static async Task<SqliteStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellation = default)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        var store = new SqliteStore(connectionString, time ?? TimeProvider.System);
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

    protected override string IdentityColumn => "INTEGER PRIMARY KEY";

    protected override string BinaryColumn => "BLOB";

    protected override bool IsPostgres => false;

    // SQLite has one writer at a time and every write transaction here starts with BEGIN
    // IMMEDIATE, so a claim cannot interleave with another; there is nothing to lock per row.
    protected override string ClaimRowLock => "";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellation)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellation).ConfigureAwait(false);
            // Another process holding the write lock makes us wait (bounded), not fail.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;";
            await pragma.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellation)
    {
        // WAL lets the API read while the worker writes; the mode is stored in the file, and
        // cannot be changed inside a transaction.
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the second of two processes opening
        // at once waits here for the first to finish migrating, then finds nothing to do.
        return await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
