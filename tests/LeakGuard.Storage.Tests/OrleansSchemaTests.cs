using System.Net;
using System.Net.Sockets;
using LeakGuard.Storage.Postgres;
using LeakGuard.Storage.Sqlite;
using LeakGuard.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;

namespace LeakGuard.Storage.Tests;

/// <summary>Schema step 10 against the real Orleans ADO.NET providers: silos in this process
/// cluster, keep grain state and reminders in the store's own PostgreSQL database.</summary>
public sealed class OrleansSchemaTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string ServiceId = "leakguard-tests";
    private static readonly TimeSpan SiloTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_query_key_the_providers_read_is_stored()
    {
        var connectionString = server.CreateDatabase();
        await (await PostgresStore.OpenAsync(connectionString)).DisposeAsync();

        var keys = await ReadColumnAsync(connectionString, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey");

        string[] expected =
        [
            "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteReminderRowKey",
            "DeleteReminderRowsKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey",
            "MembershipReadAllKey", "MembershipReadRowKey", "ReadFromStorageKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "ReadReminderRowKey", "ReadReminderRowsKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
            "UpsertReminderRowKey", "WriteToStorageKey",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_silo_on_the_store_database_joins_and_keeps_grain_state_and_reminders_across_a_restart()
    {
        var connectionString = server.CreateDatabase();
        await (await PostgresStore.OpenAsync(connectionString)).DisposeAsync();
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N");

        using (var first = await StartSiloAsync(connectionString, clusterId))
        {
            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("probe-1");
            await grain.RememberAsync("kept across restarts");

            Assert.Equal(["3"], await ReadColumnAsync(connectionString,
                $"SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}'"));
            Assert.Equal([ProbeGrain.ReminderName], await ReadColumnAsync(connectionString,
                $"SELECT ReminderName FROM OrleansRemindersTable WHERE ServiceId = '{ServiceId}'"));
            await StopAsync(first);
        }

        using var second = await StartSiloAsync(connectionString, clusterId);
        var again = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("probe-1");

        Assert.Equal("kept across restarts", await again.RecallAsync());
        Assert.True(await again.HasReminderAsync());
        // The first silo left (6 is Dead); the second is the one active member.
        Assert.Equal(["3", "6"], await ReadColumnAsync(connectionString,
            $"SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' ORDER BY Status"));
        await StopAsync(second);
    }

    [Fact]
    public async Task SQLite_records_the_step_without_creating_the_Orleans_tables()
    {
        var folder = Directory.CreateTempSubdirectory("leakguard-sqlite-");
        try
        {
            var path = Path.Combine(folder.FullName, "leakguard.db");
            await using (var store = await SqliteStore.OpenAsync(path))
            {
                Assert.Equal(10, await store.GetSchemaVersionAsync());
            }

            await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name LIKE 'Orleans%'";
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<IHost> StartSiloAsync(string connectionString, string clusterId)
    {
        var host = new HostBuilder()
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = ServiceId;
                })
                .ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort(), listenOnAnyHostAddress: false)
                .UseAdoNetClustering(options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                })
                .UseAdoNetReminderService(options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                })
                .AddAdoNetGrainStorage(ProbeGrain.StorageName, options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                }))
            .Build();
        using var timeout = new CancellationTokenSource(SiloTimeout);
        await host.StartAsync(timeout.Token);
        return host;
    }

    private static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(SiloTimeout);
        await host.StopAsync(timeout.Token);
    }

    private static async Task<List<string>> ReadColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return values;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public interface IProbeGrain : IGrainWithStringKey
{
    Task RememberAsync(string value);

    Task<string?> RecallAsync();

    Task<bool> HasReminderAsync();
}

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

/// <summary>Writes its state through the ADO.NET grain storage and registers a reminder that is
/// not due during the test.</summary>
public sealed class ProbeGrain([PersistentState("probe", ProbeGrain.StorageName)] IPersistentState<ProbeState> state) : Grain, IProbeGrain, IRemindable
{
    public const string StorageName = "store";
    public const string ReminderName = "probe";

    public async Task RememberAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
    }

    public Task<string?> RecallAsync() => Task.FromResult(state.State.Value);

    public async Task<bool> HasReminderAsync() => await this.GetReminder(ReminderName) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
