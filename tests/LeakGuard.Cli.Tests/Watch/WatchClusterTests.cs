using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// Several <c>leakguard watch</c> processes on one PostgreSQL store form one Orleans cluster:
/// each target is polled by one silo, each release is a job placed on any silo, and a silo killed
/// with <c>kill -9</c> mid-scan loses nothing: its targets and unfinished jobs are taken up by the
/// others, and each leaking release still alerts exactly once. The same holds for a single silo on
/// SQLite that is killed and started again.
/// </summary>
public sealed partial class WatchClusterTests : IClassFixture<PostgresServer>, IDisposable
{
    private const int Packages = 10;
    private const string Scope = "@cluster";

    /// <summary>Generous for a loaded CI machine: a dead silo is declared dead in about 20 s and its
    /// targets' reminders tick every 20 s; the closing note records what it measured.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(150);

    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private readonly PostgresServer _server;
    private readonly string _dir = CliRunner.TempDirectory();
    private readonly VerdaccioRegistry _registry = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly List<WatchProcess> _silos = [];
    private readonly List<int> _apiPorts = [];

    private readonly ITestOutputHelper _output;

    public WatchClusterTests(PostgresServer server, ITestOutputHelper output) => (_server, _output) = (server, output);

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }
        _receiver.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string PackageName(int i) => $"{Scope}/pkg{i}";

    private static readonly string[] Versions = ["1.0.0", "1.1.0", "1.2.0"];

    /// <summary>A third of the releases leak their source through a map: one of each package's three.</summary>
    private static bool Leaks(int package, int version) => (package + version) % 3 == 0;

    private static Dictionary<string, string> Contents(int package, int version) => Leaks(package, version)
        ? new() { ["index.js"] = $"module.exports = {package * 10 + version};\n", ["dist/index.js.map"] = PublishedPackages.Map }
        : new() { ["index.js"] = $"module.exports = {package * 10 + version};\n" };

    /// <summary>Every silo reads the same targets and alerts; each has its own API and cluster port.</summary>
    private string WriteConfig(int silo, string store, bool clustered, string targets)
    {
        int apiPort = WebhookReceiver.FreePort();
        _apiPorts.Add(apiPort);
        string config = Path.Join(_dir, $"silo{silo}.yaml");
        File.WriteAllText(config, $"""
            store: {store}
            targets:
            {targets}
            alerts:
              - webhook: {_receiver.Url}
                min-severity: critical
            api:
              listen: 127.0.0.1:{apiPort}
            {(clustered ? $"cluster:\n  listen: 127.0.0.1:{WebhookReceiver.FreePort()}\n  jobs: 1" : "")}
            """);
        return config;
    }

    private string WatchedTargets() => string.Join('\n', Enumerable.Range(0, Packages).Select(i => $"""
          - npm: "{PackageName(i)}"
            registry: {_registry.Url}
            every: 1s
        """));

    private WatchProcess Start(string config)
    {
        var silo = new WatchProcess(config, _dir);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>package@version of every release scanned, on any silo, dead or alive.</summary>
    private HashSet<string> Scanned(string scope) =>
        [.. _silos.SelectMany(s => ScannedLine().Matches(s.Log)).Select(m => m.Groups["release"].Value).Where(r => r.StartsWith(scope, StringComparison.Ordinal))];

    [GeneratedRegex(@"scanned (?<release>@[\w/.-]+@\d+\.\d+\.\d+)\.tgz:")]
    private static partial Regex ScannedLine();

    private List<string> AlertedReleases() =>
        [.. _receiver.Bodies.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("finding").GetProperty("location"))
            .Select(l => $"{l.GetProperty("package").GetString()}@{l.GetProperty("version").GetString()}")];

    private static List<string> LeakingReleases(int versions) =>
        [.. from i in Enumerable.Range(0, Packages) from v in Enumerable.Range(0, versions) where Leaks(i, v) select $"{PackageName(i)}@{Versions[v]}"];

    private static int Count(string log, string text) => log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    private string Logs() => string.Join("\n", _silos.Select((s, i) => $"--- silo {i} ---\n{s.Log}"));

    [Fact]
    public void Three_silos_scan_every_release_once_and_a_silo_killed_mid_scan_loses_nothing() =>
        EveryReleaseOnceAcrossAKill(silos: 3, _server.CreateDatabaseUri(), clustered: true);

    [Fact]
    public void A_single_sqlite_silo_killed_mid_scan_and_started_again_loses_nothing() =>
        EveryReleaseOnceAcrossAKill(silos: 1, $"sqlite:{Path.Join(_dir, "leakguard.db")}", clustered: false);

    private void EveryReleaseOnceAcrossAKill(int silos, string store, bool clustered)
    {
        var configs = Enumerable.Range(0, silos).Select(i => WriteConfig(i, store, clustered, WatchedTargets())).ToList();
        foreach (string config in configs)
        {
            Start(config);
        }
        foreach (var silo in _silos.ToList())
        {
            silo.WaitForLog("Watching 10 targets", Startup);
        }
        Eventually.True(() => _silos.Sum(s => Count(s.Log, ": watched by silo")) >= Packages, Startup, Logs);

        // The first two releases of each package: every silo gets jobs.
        for (int v = 0; v < 2; v++)
        {
            for (int i = 0; i < Packages; i++)
            {
                _registry.Publish(PackageName(i), Versions[v], Contents(i, v));
            }
        }
        Eventually.True(() => Scanned(Scope).Count == 2 * Packages, Recovery, () => $"scanned {Scanned(Scope).Count}; logs:\n{Logs()}");
        foreach (var silo in _silos)
        {
            Assert.True(Count(silo.Log, $": job {Scope}/") > 0, $"a silo ran no job; logs:\n{Logs()}");
        }

        // The third release of each package; the silo polling most targets is killed while jobs run.
        for (int i = 0; i < Packages; i++)
        {
            _registry.Publish(PackageName(i), Versions[2], Contents(i, 2));
        }
        Eventually.True(() => _silos.Any(s => s.Log.Contains("@1.2.0 on silo", StringComparison.Ordinal)), Recovery, Logs);
        var victim = _silos.MaxBy(s => Count(s.Log, ": watched by silo"))!;
        int victimTargets = Count(victim.Log, ": watched by silo");
        victim.Kill();
        var killedAt = System.Diagnostics.Stopwatch.StartNew();
        var survivors = _silos.Where(s => s != victim).ToList();
        if (survivors.Count == 0)
        {
            survivors.Add(Start(configs[0]));
        }

        Eventually.True(() => Scanned(Scope).Count == 3 * Packages, Recovery, () => $"scanned {Scanned(Scope).Count}; logs:\n{Logs()}");
        // The dead silo's targets are polled by the others now.
        Eventually.True(() => survivors.Sum(s => Count(s.Log, ": watched by silo")) >= (silos == 1 ? Packages : victimTargets), Recovery, Logs);
        _output.WriteLine($"killed a silo polling {victimTargets} targets; every release scanned {killedAt.Elapsed.TotalSeconds:F0} s later");
        if (clustered)
        {
            using var connection = new NpgsqlConnection(ConnectionString(store));
            connection.Open();
            using var command = new NpgsqlCommand($"SELECT count(*) FROM releases WHERE package LIKE '{Scope}/%'", connection);
            Assert.Equal(3 * Packages, Convert.ToInt32(command.ExecuteScalar()));
        }

        // Each leaking release alerts once: none lost with the dead silo, none sent twice by the others.
        var leaking = LeakingReleases(3);
        Eventually.True(() => leaking.All(AlertedReleases().Contains), Recovery,
            () => $"alerted [{string.Join(", ", AlertedReleases())}]; logs:\n{Logs()}");
        // Another few polls on every silo: nothing more may arrive.
        Thread.Sleep(TimeSpan.FromSeconds(5));
        Assert.Equal(leaking.Order(StringComparer.Ordinal), AlertedReleases().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_silo_stopped_with_sigterm_leaves_the_cluster_and_its_targets_move_to_the_other()
    {
        string store = _server.CreateDatabaseUri();
        var first = Start(WriteConfig(0, store, clustered: true, WatchedTargets()));
        first.WaitForLog("Watching 10 targets", Startup);
        // The first silo activates every target before the second joins.
        Eventually.True(() => Count(first.Log, ": watched by silo") == Packages, Startup, Logs);
        var second = Start(WriteConfig(1, store, clustered: true, WatchedTargets()));
        second.WaitForLog("Watching 10 targets", Startup);

        Assert.Equal(0, first.Terminate(TimeSpan.FromSeconds(60)));
        // Leaving is announced, not detected: the reminders revive the targets on the other silo.
        Eventually.True(() => Count(second.Log, ": watched by silo") == Packages, Recovery, Logs);
        _registry.Publish(PackageName(0), Versions[0], Contents(0, 0));
        Eventually.True(() => Scanned(Scope).Contains($"{PackageName(0)}@{Versions[0]}"), Recovery, Logs);
        Assert.Contains($": job {PackageName(0)}@{Versions[0]} on silo", second.Log, StringComparison.Ordinal);
    }

    private static string ConnectionString(string uri)
    {
        var parsed = new Uri(uri);
        return $"Host={parsed.Host};Port={parsed.Port};Username=postgres;Database={parsed.AbsolutePath.TrimStart('/')}";
    }

    [Fact]
    public async Task A_sweep_of_fifty_versions_runs_on_all_three_silos_and_reports_completion_on_any()
    {
        const int Versions = 5;
        for (int i = 0; i < Packages; i++)
        {
            for (int v = 0; v < Versions; v++)
            {
                _registry.Publish($"@sweep/pkg{i}", $"1.{v}.0", new Dictionary<string, string> { ["index.js"] = $"module.exports = {i * 10 + v};\n" });
            }
        }
        // One quiet target each: the silos watch it, the sweep is on demand.
        string quiet = $"""
              - npm: "@sweep/pkg0@1.0.0"
                registry: {_registry.Url}
                every: 1h
            """;
        string store = _server.CreateDatabaseUri();
        foreach (int silo in Enumerable.Range(0, 3))
        {
            Start(WriteConfig(silo, store, clustered: true, quiet));
        }
        foreach (var silo in _silos)
        {
            silo.WaitForLog("Watching 1 targets", Startup);
        }

        using var first = Api(0);
        using var started = await first.PostAsJsonAsync("/api/scans", new { target = "npm:@sweep/*@all", registry = _registry.Url });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        long id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        // Progress is the sweep grain's: any silo's API reports it.
        using var other = Api(2);
        JsonElement sweep = default;
        Eventually.True(() =>
        {
            sweep = JsonDocument.Parse(other.GetStringAsync($"/api/scans/{id}").GetAwaiter().GetResult()).RootElement.Clone();
            return sweep.GetProperty("status").GetString() != "running";
        }, Recovery, () => $"sweep: {sweep}; logs:\n{Logs()}");
        Assert.Equal("done", sweep.GetProperty("status").GetString());
        // The quiet target's own version may have been scanned by its watcher first; the sweep is under its own target name.
        Assert.Equal(Packages * Versions, sweep.GetProperty("scans").GetInt64());
        foreach (var silo in _silos)
        {
            Assert.True(Count(silo.Log, "npm:@sweep/*@all: job @sweep/") > 0, $"a silo ran no job of the sweep; logs:\n{Logs()}");
        }
        Assert.Equal(Packages * Versions, _silos.Sum(s => Count(s.Log, "npm:@sweep/*@all: job @sweep/")));
    }

    private HttpClient Api(int silo)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPorts[silo]}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WatchProcess.ApiKey);
        return http;
    }
}
