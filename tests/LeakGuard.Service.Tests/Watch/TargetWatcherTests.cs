using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LeakGuard.Service.Watch;
using LeakGuard.Cli.Tests;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Sources.Targets;
using LeakGuard.Storage;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace LeakGuard.Service.Tests.Watch;

/// <summary>
/// One package watcher in process, on a SQLite store, with the versions a poll offers handed in
/// as real .tgz packages: how versions are compared and recorded, and what SIGTERM does to a scan
/// in progress (the end-to-end tests cannot hold a scan at a chosen point).
/// </summary>
public sealed class TargetWatcherTests : IAsyncLifetime
{
    private const string Package = "@acme/cli";
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    private static readonly TargetSettings Target = new(TargetKind.Npm, Package, TimeSpan.FromHours(1), null, 1);
    private static readonly string TargetName = Target.DisplayName;

    private readonly string _dir = Directory.CreateTempSubdirectory("leakguard-watcher-").FullName;
    private readonly CapturedLog _log = new();
    private readonly ManualResetEventSlim _opened = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly RuleSet _rules = new(RuleLoader.Parse(TestRules.GitHub, "test"));
    private ScanSession _session = null!;
    private WatchScanner _scanner = null!;
    private ILeakGuardStore _store = null!;
    private Logger _logger = null!;
    private AlertChannels _noChannels = null!;

    public async Task InitializeAsync()
    {
        _session = ScanSession.Open(new ScanSettings { Engine = EngineKind.Managed }, rules: _rules);
        _scanner = new WatchScanner(_session);
        _store = await StoreFactory.OpenAsync($"sqlite:{Path.Join(_dir, "leakguard.db")}");
        _logger = new LoggerConfiguration().WriteTo.Sink(_log).CreateLogger();
        _noChannels = new AlertChannels([]);
    }

    private TargetWatcher Watcher(TargetResolver resolver, TimeSpan grace)
    {
        var outbox = new OutboxChannels([], _noChannels);
        var metrics = new ServiceMetrics();
        return new(Target, new ReleaseJobRunner(_scanner, _store, outbox, metrics, _logger), _store, outbox, metrics, _logger, TimeProvider.System, grace, resolver);
    }

    private static TargetResolver Offering(params SourceItem[] versions) => (_, _) =>
    {
        var resolved = new ResolvedTargets();
        resolved.AddPackageVersions(versions);
        return resolved;
    };

    private static SourceItem Version(string version, Dictionary<string, string> files, Func<Stream, Stream>? opening = null)
    {
        byte[] tgz = Tgz(files);
        return new SourceItem
        {
            Path = $"{Package}@{version}.tgz",
            Origin = new BlobOrigin { Package = Package, Version = version },
            Open = () => (opening ?? (s => s))(new MemoryStream(tgz, writable: false)),
        };
    }

    private static byte[] Tgz(Dictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, text) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"package/{name}") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }
        return buffer.ToArray();
    }

    private static readonly Dictionary<string, string> Clean = new()
    {
        ["package.json"] = """{"name":"@acme/cli","license":"MIT"}""",
        ["index.js"] = "module.exports = 42;\n",
    };

    private static readonly Dictionary<string, string> WithToken = new(Clean) { ["config.js"] = $"module.exports = '{Token}';\n" };

    [Fact]
    public async Task Each_version_is_compared_with_the_one_before_and_a_leak_that_stays_is_one_finding()
    {
        var watcher = Watcher(Offering(Version("1.0.0", Clean), Version("1.1.0", WithToken), Version("1.2.0", WithToken)), TimeSpan.FromSeconds(5));

        await watcher.PollOnceAsync(CancellationToken.None, CancellationToken.None);

        var finding = Assert.Single(await _store.QueryFindingsAsync(new FindingQuery()));
        Assert.Equal("test.github", finding.Finding.RuleId);
        Assert.Equal("1.1.0", finding.Finding.Location.Version);
        Assert.Equal("1.0.0", ((JsonElement)finding.Finding.Details["newSince"]!).GetString());
        var changes = ((JsonElement)finding.Finding.Details["releaseChanges"]!).EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal([$"{Package} 1.1.0 adds package/config.js ({Encoding.UTF8.GetByteCount(WithToken["config.js"])} B); not in 1.0.0"], changes);
        Assert.Equal(["1.0.0", "1.1.0", "1.2.0"], (await _store.GetReleasesAsync(TargetName, Package)).Keys.Order(StringComparer.Ordinal));
        Assert.Contains($"{TargetName}: scanned {Package}@1.2.0.tgz: 4 blobs, 1 findings, 0 new", _log.Messages);
    }

    [Fact]
    public async Task A_version_published_later_below_the_newest_is_compared_with_the_version_below_it()
    {
        await Watcher(Offering(Version("1.0.0", Clean), Version("2.0.0", WithToken)), TimeSpan.FromSeconds(5))
            .PollOnceAsync(CancellationToken.None, CancellationToken.None);
        var patched = new Dictionary<string, string>(Clean) { ["index.js"] = $"module.exports = '{Token}'; // patched\n" };

        // A 1.0.1 patch published after 2.0.0: the next poll lists it, and it is new compared with 1.0.0.
        await Watcher(Offering(Version("1.0.0", Clean), Version("1.0.1", patched), Version("2.0.0", WithToken)), TimeSpan.FromSeconds(5))
            .PollOnceAsync(CancellationToken.None, CancellationToken.None);

        var findings = await _store.QueryFindingsAsync(new FindingQuery());
        Assert.Equal(["1.0.0", "1.0.0"], findings.Select(f => ((JsonElement)f.Finding.Details["newSince"]!).GetString()));
        Assert.Equal(["2.0.0", "1.0.1"], findings.Select(f => f.Finding.Location.Version));
        Assert.Contains($"{TargetName}: {Package} 1.0.1 grows package/index.js ({Clean["index.js"].Length} B -> {patched["index.js"].Length} B) since 1.0.0", _log.Messages);
    }

    [Fact]
    public async Task A_version_that_cannot_be_downloaded_fails_the_poll_after_the_others_are_recorded()
    {
        var missing = Version("1.1.0", WithToken, _ => throw new IOException("tarball of @acme/cli@1.1.0 is missing: it answered 404"));
        var watcher = Watcher(Offering(Version("1.0.0", Clean), missing, Version("1.2.0", WithToken)), TimeSpan.FromSeconds(5));

        var failure = await Assert.ThrowsAsync<IOException>(() => watcher.PollOnceAsync(CancellationToken.None, CancellationToken.None));

        Assert.Contains("tarball of @acme/cli@1.1.0 is missing: it answered 404", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["1.0.0", "1.2.0"], (await _store.GetReleasesAsync(TargetName, Package)).Keys.Order(StringComparer.Ordinal));
        // 1.2.0 is compared with what was recorded below it, 1.0.0.
        var finding = Assert.Single(await _store.QueryFindingsAsync(new FindingQuery()));
        Assert.Equal("1.0.0", ((JsonElement)finding.Finding.Details["newSince"]!).GetString());
    }

    [Fact]
    public async Task A_version_that_breaks_the_scan_holds_back_no_later_version_and_is_recorded_as_failed_after_its_attempts()
    {
        int opened = 0;
        var breaking = Version("1.1.0", WithToken, _ =>
        {
            Interlocked.Increment(ref opened);
            throw new InvalidOperationException("the tarball reader broke");
        });
        var watcher = Watcher(Offering(Version("1.0.0", Clean), breaking, Version("1.2.0", WithToken)), TimeSpan.FromSeconds(5));

        var firstPoll = await Assert.ThrowsAsync<IOException>(() => watcher.PollOnceAsync(CancellationToken.None, CancellationToken.None));

        Assert.Contains("the tarball reader broke", firstPoll.Message, StringComparison.Ordinal);
        Assert.EndsWith("(attempt 1 of 3; tried again next poll)", firstPoll.Message, StringComparison.Ordinal);
        Assert.Equal(["1.0.0", "1.2.0"], (await _store.GetReleasesAsync(TargetName, Package)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal("1.2.0", Assert.Single(await _store.QueryFindingsAsync(new FindingQuery())).Finding.Location.Version);

        var secondPoll = await Assert.ThrowsAsync<IOException>(() => watcher.PollOnceAsync(CancellationToken.None, CancellationToken.None));
        Assert.EndsWith("(attempt 2 of 3; tried again next poll)", secondPoll.Message, StringComparison.Ordinal);
        // The third attempt is the last: the version is recorded as failed and the poll succeeds; later polls leave it be.
        await watcher.PollOnceAsync(CancellationToken.None, CancellationToken.None);
        await watcher.PollOnceAsync(CancellationToken.None, CancellationToken.None);

        Assert.Equal(3, opened);
        var failure = (await _store.GetReleaseFailuresAsync(TargetName, Package))["1.1.0"];
        Assert.True(failure.Failed);
        Assert.Equal(3, failure.Attempts);
        Assert.Contains("the tarball reader broke", failure.Reason, StringComparison.Ordinal);
        Assert.Single(_log.Messages, m => m.StartsWith($"{TargetName}: {Package}@1.1.0.tgz could not be scanned in 3 attempts and is recorded as failed: ", StringComparison.Ordinal));
    }

    /// <summary>Starts a watcher whose one version hangs in its download until <see cref="_release"/>
    /// is set, and returns once the scan is inside it.</summary>
    private async Task<HostedLoop> StartWithHangingDownloadAsync(TimeSpan grace)
    {
        var hanging = Version("1.0.0", WithToken, stream =>
        {
            _opened.Set();
            _release.Wait(TimeSpan.FromSeconds(60));
            return stream;
        });
        // As the host runs it: stopping the hosted loop is what SIGTERM does.
        var hosted = new HostedLoop(Task.CompletedTask, Watcher(Offering(hanging), grace).RunAsync);
        await hosted.StartAsync(CancellationToken.None);
        Assert.True(_opened.Wait(TimeSpan.FromSeconds(30)), "the scan never opened the package");
        return hosted;
    }

    [Fact]
    public async Task On_stop_a_scan_in_progress_finishes_within_the_grace_and_is_recorded()
    {
        var watcher = await StartWithHangingDownloadAsync(TimeSpan.FromSeconds(30));

        var stopping = watcher.StopAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "stopped without waiting for the scan in progress");
        _release.Set();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(await _store.QueryFindingsAsync(new FindingQuery()));
        Assert.Contains("1.0.0", (await _store.GetReleasesAsync(TargetName, Package)).Keys);
        Assert.Contains($"{TargetName}: finished the scan in progress before stopping", _log.Messages);
    }

    [Fact]
    public async Task On_stop_a_scan_that_outlasts_the_grace_is_abandoned_and_nothing_of_it_recorded()
    {
        var watcher = await StartWithHangingDownloadAsync(TimeSpan.FromMilliseconds(200));

        await watcher.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        _release.Set();

        Assert.Empty(await _store.QueryFindingsAsync(new FindingQuery()));
        Assert.Empty(await _store.GetReleasesAsync(TargetName, Package));
        Assert.Contains(_log.Messages, m => m.StartsWith($"{TargetName}: stopped; the scan in progress did not finish within", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _logger.DisposeAsync();
        _scanner.Dispose();
        _session.Dispose();
        _noChannels.Dispose();
        _release.Set();
        _opened.Dispose();
        _release.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Log messages as text; the worker's Serilog output with string values unquoted.</summary>
    private sealed class CapturedLog : ILogEventSink
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public void Emit(LogEvent logEvent)
        {
            using var text = new StringWriter();
            logEvent.RenderMessage(text, System.Globalization.CultureInfo.InvariantCulture);
            _messages.Enqueue(text.ToString().Replace("\"", "", StringComparison.Ordinal));
        }
    }
}
