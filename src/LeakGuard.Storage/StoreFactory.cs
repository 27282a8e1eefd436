using LeakGuard.Storage.Postgres;
using LeakGuard.Storage.Sqlite;

namespace LeakGuard.Storage;

/// <summary>Opens the store named by the configuration's <c>store:</c> string, migrating its schema.</summary>
public static class StoreFactory
{
    public const string DefaultStore = "sqlite:~/.leakguard/leakguard.db";

    /// <summary><c>sqlite:PATH</c> (a leading <c>~/</c> is the home folder), or a PostgreSQL
    /// connection string: Npgsql's <c>Host=…;Database=…</c> form or a <c>postgresql://</c> URI.</summary>
    public static async Task<ILeakGuardStore> OpenAsync(string store, TimeProvider? time = null, CancellationToken cancellation = default)
    {
        if (store.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            return await SqliteStore.OpenAsync(ExpandHome(store["sqlite:".Length..]), time, cancellation).ConfigureAwait(false);
        }
        if (PostgresConnectionString(store) is { } postgres)
        {
            return await PostgresStore.OpenAsync(postgres, time, cancellation).ConfigureAwait(false);
        }
        // The string is not echoed: it may be a connection string with a password in it.
        throw new ArgumentException("store must be sqlite:PATH, a postgresql:// URI or a PostgreSQL connection string (Host=…)", nameof(store));
    }

    /// <summary>The Npgsql connection string of a PostgreSQL store (the store's own, and the
    /// cluster's tables in the same database); null for anything else.</summary>
    public static string? PostgresConnectionString(string store) =>
        store.StartsWith("postgresql://", StringComparison.Ordinal) || store.StartsWith("postgres://", StringComparison.Ordinal)
            ? PostgresUri.ToConnectionString(store)
            : !store.StartsWith("sqlite:", StringComparison.Ordinal) && store.Contains("host=", StringComparison.OrdinalIgnoreCase) ? store : null;

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
