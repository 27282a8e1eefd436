using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Cli.Tests.Watch;

namespace LeakGuard.Cli.Tests.Protection;

/// <summary>
/// <c>watch --protected</c> end to end: a real Verdaccio, a webhook receiver and the worker as its
/// own process. A package that vendors three protected files under other names is one alert; a
/// later release with the same files is not news, and one vendoring a fourth alerts again.
/// </summary>
public sealed class WatchProtectedCodeTests : IDisposable
{
    private const string Package = "@acme/lookalike";
    private const string Codebase = "acme/agent-core";

    private static readonly string[] Vendored = [.. ProtectCommandTests.SelfContained.Take(4)];

    private readonly string _dir = CliRunner.TempDirectory();
    private readonly int _apiPort = WebhookReceiver.FreePort();
    private readonly VerdaccioRegistry _registry = new();
    private readonly WebhookReceiver _receiver = new();
    private WatchProcess? _worker;

    public void Dispose()
    {
        _worker?.Dispose();
        _receiver.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_release_vendoring_three_protected_files_under_other_names_is_one_alert_naming_them_and_one_vendoring_more_is_another()
    {
        string index = ProtectedIndex();
        _worker = new WatchProcess(Config(), _dir, jsonLogs: false, "--protected", index);
        _worker.WaitForLog($"scanned {Package}@1.0.0.tgz", TimeSpan.FromSeconds(60));
        Assert.Empty(_receiver.Bodies);

        _registry.Publish(Package, "1.1.0", Vendoring(3));
        Eventually.True(() => _receiver.Bodies.Count > 0, TimeSpan.FromSeconds(60), () => $"no alert; log:\n{_worker.Log}");
        // A whole poll after the first alert, and whatever it raised delivered: a second alert would be here now.
        PollEvidence.WaitForPollAndDelivery(_worker, _apiPort, Store, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60));

        var alert = JsonDocument.Parse(Assert.Single(_receiver.Bodies)).RootElement;
        var finding = alert.GetProperty("finding");
        Assert.Equal("leakguard.protected-code", finding.GetProperty("ruleId").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Equal("1.1.0", finding.GetProperty("location").GetProperty("version").GetString());
        var details = finding.GetProperty("details");
        Assert.Equal(Codebase, details.GetProperty("codebase").GetString());
        Assert.Equal(
            Vendored[..3].Select(Path.GetFileName).Order(StringComparer.Ordinal),
            details.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("protectedFile").GetString()).Distinct().Order(StringComparer.Ordinal));

        // 1.2.0 holds the same three files: known. 1.3.0 holds a fourth: a second alert, saying so.
        _registry.Publish(Package, "1.2.0", Vendoring(3));
        _worker.WaitForLog($"scanned {Package}@1.2.0.tgz", TimeSpan.FromSeconds(60));
        _registry.Publish(Package, "1.3.0", Vendoring(4));
        Eventually.True(() => _receiver.Bodies.Count > 1, TimeSpan.FromSeconds(60), () => $"no second alert; log:\n{_worker.Log}");
        PollEvidence.WaitForPollAndDelivery(_worker, _apiPort, Store, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60));
        Assert.Equal(2, _receiver.Bodies.Count);
        var again = JsonDocument.Parse(_receiver.Bodies.Last()).RootElement.GetProperty("finding");
        Assert.Equal("1.3.0", again.GetProperty("location").GetProperty("version").GetString());
        Assert.Equal("1.2.0", again.GetProperty("newSince").GetString());
        Assert.Contains(again.GetProperty("releaseChanges").EnumerateArray(), c =>
            c.GetString()!.Contains($"holds 1 file more of {Codebase} ({Path.GetFileName(Vendored[3])}; 4 in all); 1.2.0 held 3", StringComparison.Ordinal));
    }

    [Fact]
    public void An_index_pushed_to_the_store_reaches_a_running_worker_started_without_one()
    {
        _worker = new WatchProcess(Config(), _dir, jsonLogs: false);
        _worker.WaitForLog($"scanned {Package}@1.0.0.tgz", TimeSpan.FromSeconds(60));

        string index = ProtectedIndex();
        var push = CliRunner.Run("protect", "push", "--index", index, "--store", Store);
        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Contains($"{Codebase}\t", CliRunner.Run("protect", "list", "--store", Store).Stdout);
        _registry.Publish(Package, "1.1.0", Vendoring(3));

        Eventually.True(() => _receiver.Bodies.Count > 0, TimeSpan.FromSeconds(60), () => $"no alert; log:\n{_worker.Log}");
        var finding = JsonDocument.Parse(Assert.Single(_receiver.Bodies)).RootElement.GetProperty("finding");
        Assert.Equal("leakguard.protected-code", finding.GetProperty("ruleId").GetString());
        Assert.Equal(Codebase, finding.GetProperty("details").GetProperty("codebase").GetString());
        Assert.Contains("Protected code from the store: 1 codebases", _worker.Log);
    }

    private string Store => $"sqlite:{Path.Join(_dir, "leakguard.db")}";

    /// <summary>npm's lib/utils as the protected codebase, in an index file.</summary>
    private string ProtectedIndex()
    {
        string protectedTree = Path.Join(_dir, "agent-core");
        Directory.CreateDirectory(protectedTree);
        foreach (string file in ProtectCommandTests.NpmUtils())
        {
            File.Copy(file, Path.Join(protectedTree, Path.GetFileName(file)), overwrite: true);
        }
        string index = Path.Join(_dir, "protected.lgpi");
        Assert.Equal(0, CliRunner.Run("protect", "add", Codebase, protectedTree, "--index", index).ExitCode);
        return index;
    }

    /// <summary>The service configuration, with 1.0.0 (no protected code) already published.</summary>
    private string Config()
    {
        string config = Path.Join(_dir, "leakguard.yaml");
        File.WriteAllText(config, $"""
            store: {Store}
            targets:
              - npm: "{Package}"
                registry: {_registry.Url}
                every: 1s
            alerts:
              - webhook: {_receiver.Url}
                min-severity: critical
            api:
              listen: 127.0.0.1:{_apiPort}
            """);
        _registry.Publish(Package, "1.0.0", new Dictionary<string, string> { ["index.js"] = "module.exports = 42;\n" });
        return config;
    }

    /// <summary>A release's files: an index and the first <paramref name="count"/> vendored protected files, renamed.</summary>
    private static Dictionary<string, string> Vendoring(int count)
    {
        var files = new Dictionary<string, string> { ["index.js"] = "module.exports = require('./lib/a.js');\n" };
        for (int i = 0; i < count; i++)
        {
            files[$"lib/{(char)('a' + i)}.js"] = File.ReadAllText(Vendored[i]);
        }
        return files;
    }
}
