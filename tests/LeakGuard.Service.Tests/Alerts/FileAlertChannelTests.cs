using System.Text.Json;
using LeakGuard.Service.Alerts;

namespace LeakGuard.Service.Tests.Alerts;

public sealed class FileAlertChannelTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("leakguard-alerts-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Creates_the_file_and_its_folder_and_appends_one_json_line_per_alert()
    {
        string path = Path.Combine(folder, "log", "alerts.jsonl");
        var channel = new FileAlertChannel(path);

        var first = await channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);
        var second = await channel.DeliverAsync(SampleAlerts.GitKey, CancellationToken.None);

        Assert.True(first.Succeeded && second.Succeeded);
        string text = await File.ReadAllTextAsync(path);
        Assert.EndsWith("\n", text);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(SampleAlerts.NpmTokenJson, lines[0]);
        using var secondLine = JsonDocument.Parse(lines[1]);
        Assert.Equal("aws.access-key", secondLine.RootElement.GetProperty("finding").GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task Appends_to_an_existing_file()
    {
        string path = Path.Combine(folder, "alerts.jsonl");
        await File.WriteAllTextAsync(path, "{\"earlier\":true}\n");

        await new FileAlertChannel(path).DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.Equal(["{\"earlier\":true}", SampleAlerts.NpmTokenJson], (await File.ReadAllLinesAsync(path)));
    }

    [Fact]
    public async Task Concurrent_alerts_never_interleave_inside_a_line()
    {
        string path = Path.Combine(folder, "alerts.jsonl");
        var channel = new FileAlertChannel(path);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => channel.DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None)));

        string[] lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(50, lines.Length);
        Assert.All(lines, line => Assert.Equal(SampleAlerts.NpmTokenJson, line));
    }

    [Fact]
    public async Task A_path_that_cannot_be_written_is_a_retryable_failure()
    {
        // A directory where the file should be: appending to it fails on every platform.
        string path = Path.Combine(folder, "taken");
        Directory.CreateDirectory(path);

        var delivery = await new FileAlertChannel(path).DeliverAsync(SampleAlerts.NpmToken, CancellationToken.None);

        Assert.False(delivery.Succeeded);
        Assert.StartsWith($"cannot append to {path}: ", delivery.FailureReason);
    }
}
