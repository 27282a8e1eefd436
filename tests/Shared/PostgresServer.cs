using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LeakGuard.Processes;
using Npgsql;

namespace LeakGuard.Tests.Shared;

/// <summary>A throwaway PostgreSQL cluster from Debian's packages (installed by
/// tests/setup/postgres.sh): initdb in a temp folder, started on 127.0.0.1 and a free port,
/// stopped and deleted on Dispose. Each test gets its own database in it. A linked file in the
/// Storage and CLI test projects, not a project of its own: neither needs more than this class.</summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder;
    private readonly string _binaries;
    private readonly string _dataFolder;
    private readonly int _port;

    public PostgresServer()
    {
        _binaries = FindBinaries();
        _folder = Directory.CreateTempSubdirectory("leakguard-pg-").FullName;
        _dataFolder = Path.Combine(_folder, "data");
        _port = FreePort();
        try
        {
            Start();
        }
        catch
        {
            // xUnit does not dispose a fixture whose constructor threw.
            Dispose();
            throw;
        }
    }

    private void Start()
    {
        // PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
        if (Environment.UserName == "root")
        {
            Run("chown", ["-R", "postgres:postgres", _folder], asPostgres: false);
        }
        Run(Path.Combine(_binaries, "initdb"),
            ["-D", _dataFolder, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"], asPostgres: true);
        // fsync off: a test cluster needs no durability, and it keeps the disk quiet for other builds.
        Run(Path.Combine(_binaries, "pg_ctl"),
            ["-D", _dataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "30",
             "-o", $"-h 127.0.0.1 -p {_port} -k {_folder} -F", "start"], asPostgres: true);
        WaitUntilReady();
    }

    public int Port => _port;

    public string AdminConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>A new, empty database; returns its connection string.</summary>
    public string CreateDatabase() => $"Host=127.0.0.1;Port={_port};Username=postgres;Database={NewDatabase()}";

    /// <summary>A new, empty database; returns it as the <c>postgresql://</c> URI a <c>store:</c> takes.</summary>
    public string CreateDatabaseUri() => $"postgresql://postgres@127.0.0.1:{_port}/{NewDatabase()}";

    private string NewDatabase()
    {
        var name = "leakguard_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // A database name cannot be a parameter; this one is generated above.
        command.CommandText = $"CREATE DATABASE {name}";
        command.ExecuteNonQuery();
        return name;
    }

    public void Dispose()
    {
        try
        {
            // Nothing to stop when initdb or the start failed before the server wrote its pid file.
            if (File.Exists(Path.Combine(_dataFolder, "postmaster.pid")))
            {
                Run(Path.Combine(_binaries, "pg_ctl"), ["-D", _dataFolder, "-m", "immediate", "-w", "-t", "30", "stop"], asPostgres: true);
            }
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderDescending(StringComparer.Ordinal).ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run tests/setup/postgres.sh as root");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilReady()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(AdminConnectionString);
                connection.Open();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < ReadyTimeout)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void Run(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        string[] line = asPostgres && Environment.UserName == "root"
            ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", program, .. arguments]
            : [program, .. arguments];
        // The postgres user cannot enter root's working folder.
        var command = new ProcessCommand(line[0], line[1..]) { WorkingDirectory = "/tmp", Description = Path.GetFileName(program) };
        ProcessRunner.Run(command, CommandTimeout).EnsureSuccess();
    }
}
