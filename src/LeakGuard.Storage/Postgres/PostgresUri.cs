using Npgsql;

namespace LeakGuard.Storage.Postgres;

/// <summary>Npgsql takes only key=value strings; compose files and hosted databases hand out URIs.</summary>
internal static class PostgresUri
{
    public static string ToConnectionString(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw new ArgumentException("the postgresql:// store URI is not valid", nameof(uri));
        }
        var builder = new NpgsqlConnectionStringBuilder { Host = parsed.Host };
        if (parsed.Port > 0)
        {
            builder.Port = parsed.Port;
        }
        var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }
        if (parsed.UserInfo.Length > 0)
        {
            var separator = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(separator < 0 ? parsed.UserInfo : parsed.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(parsed.UserInfo[(separator + 1)..]);
            }
        }
        return builder.ConnectionString;
    }
}
