using System.Net;
using System.Net.Sockets;
using LeakGuard.Service.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;

namespace LeakGuard.Service.Cluster;

/// <summary>
/// How the worker runs as an Orleans silo. On a PostgreSQL store, every worker on that database
/// is one cluster: membership, reminders and sweep state live in the tables the store's
/// migrations create (Orleans' ADO.NET providers; they do not create their own). On SQLite the
/// worker is a cluster of one, on a loopback port, with reminders and sweeps in memory: one
/// machine needs nothing more.
/// </summary>
internal static class ClusterSilo
{
    /// <summary>One LeakGuard cluster per database: the store's findings are the cluster's.</summary>
    public const string ClusterId = "leakguard";
    public const string ServiceId = "leakguard";

    /// <summary>The provider name Orleans' ADO.NET providers look Npgsql up by (their own table
    /// maps it to Npgsql's factory; grain storage defaults to SQL Server unless told).</summary>
    private const string Invariant = "Npgsql";

    /// <summary>How long a job's caller waits for it: a large release can take minutes. A silo
    /// that dies fails its callers' calls as soon as the cluster declares it dead, not after this.</summary>
    private static readonly TimeSpan JobTimeout = TimeSpan.FromHours(1);

    /// <param name="postgres">The store's connection string, or null for SQLite.</param>
    /// <returns>Where the silo listens.</returns>
    public static IPEndPoint Configure(ISiloBuilder silo, ClusterSettings cluster, string? postgres)
    {
        silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (ClusterId, ServiceId));
        var listen = cluster.Listen ?? (postgres is null ? FreeLoopbackPort() : ClusterSettings.DefaultListen);
        // Listens on the address it advertises only, and takes no external clients (no gateway).
        silo.Configure<EndpointOptions>(options =>
        {
            options.AdvertisedIPAddress = listen.Address;
            options.SiloPort = listen.Port;
            options.SiloListeningEndpoint = listen;
            options.GatewayPort = 0;
        });
        if (postgres is not null)
        {
            silo.UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = (Invariant, postgres));
            silo.UseAdoNetReminderService(options => (options.Invariant, options.ConnectionString) = (Invariant, postgres));
            silo.AddAdoNetGrainStorage(SweepStorage.Name, options => (options.Invariant, options.ConnectionString) = (Invariant, postgres));
        }
        else
        {
            silo.UseDevelopmentClustering(listen);
            silo.UseInMemoryReminderService();
            silo.AddMemoryGrainStorage(SweepStorage.Name);
        }
        silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TargetGrain.KeepAlive);
        silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = JobTimeout);
        return listen;
    }

    /// <summary>A single silo's port: nobody else has to find it, and two workers on one machine must not collide.</summary>
    private static IPEndPoint FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return (IPEndPoint)probe.LocalEndpoint;
    }
}
