using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>
/// An npm registry on 127.0.0.1 where each package misbehaves in one way: <see cref="Garbage"/>'s
/// packument is not JSON, <see cref="Huge"/>'s is 50 MB (one version, a large padding field) with a
/// real tarball holding a token, <see cref="NotGzip"/>'s tarball is an HTML page, and
/// <see cref="Hanging"/>'s packument request is never answered. Counts the requests per path.
/// </summary>
internal sealed class HostileRegistry : IDisposable
{
    public const string Garbage = "garbage-pkg";
    public const string Huge = "huge-pkg";
    public const string NotGzip = "plain-pkg";
    public const string Hanging = "slow-pkg";

    private const int HugeBytes = 50 * 1024 * 1024;

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _bodies;
    private readonly Task _serving;

    /// <param name="hugeToken">The secret planted in <see cref="Huge"/>'s tarball.</param>
    public HostileRegistry(string hugeToken)
    {
        Url = $"http://127.0.0.1:{WebhookReceiver.FreePort()}/";
        byte[] tarball = Tarball(Huge, hugeToken);
        // What a proxy in front of a registry serves when its upstream is down.
        byte[] page = "<!doctype html>\n<title>502 Bad Gateway</title>\n"u8.ToArray();
        _bodies = new(StringComparer.Ordinal)
        {
            ["/" + Garbage] = "<!doctype html>\n<title>Down for maintenance</title>\n"u8.ToArray(),
            ["/" + Huge] = Packument(Huge, tarball, HugeBytes),
            [TarballPath(Huge)] = tarball,
            ["/" + NotGzip] = Packument(NotGzip, page, 0),
            [TarballPath(NotGzip)] = page,
        };
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public static string TarballPath(string name) => $"/{name}/-/{name}-1.0.0.tgz";

    public int Requests(string path) => _requests.GetValueOrDefault(path);

    private string TarballUrl(string name) => Url.TrimEnd('/') + TarballPath(name);

    /// <summary>An abbreviated packument with version 1.0.0 only, its integrity that of
    /// <paramref name="tarball"/>, padded with a field npm does not know to <paramref name="size"/> bytes.</summary>
    private byte[] Packument(string name, byte[] tarball, int size)
    {
        string integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["name"] = name,
            ["dist-tags"] = new { latest = "1.0.0" },
            ["versions"] = new Dictionary<string, object>
            {
                ["1.0.0"] = new { name, version = "1.0.0", dist = new { tarball = TarballUrl(name), integrity } },
            },
            ["padding"] = "",
        });
        // The padding goes between the last two quotes: ...,"padding":"xxxx…"}
        byte[] document = new byte[Math.Max(size, json.Length)];
        json.AsSpan(0, json.Length - 2).CopyTo(document);
        document.AsSpan(json.Length - 2, document.Length - json.Length).Fill((byte)'x');
        "\"}"u8.CopyTo(document.AsSpan(document.Length - 2));
        return document;
    }

    /// <summary>A .tgz as npm packs one: package.json and a file holding <paramref name="token"/>.</summary>
    private static byte[] Tarball(string name, string token)
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            Add(tar, "package/package.json", $$"""{ "name": "{{name}}", "version": "1.0.0" }""");
            Add(tar, "package/lib/config.js", $"exports.token = \"{token}\";\n");
        }
        return gzipped.ToArray();
    }

    private static void Add(TarWriter tar, string path, string text)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
        tar.WriteEntry(entry);
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            // Each on its own: a request left hanging must not hold up the others.
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        string path = context.Request.Url!.AbsolutePath;
        _requests.AddOrUpdate(path, 1, (_, count) => count + 1);
        var response = context.Response;
        try
        {
            if (path == "/" + Hanging)
            {
                // Only the client's timeout ends this request; the connection is dropped at Dispose.
                await Task.Delay(Timeout.Infinite, _stopping.Token);
            }
            if (!_bodies.TryGetValue(path, out var body))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            response.ContentType = path.EndsWith(".tgz", StringComparison.Ordinal) ? "application/octet-stream" : "application/json";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body, _stopping.Token);
            response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }
}
