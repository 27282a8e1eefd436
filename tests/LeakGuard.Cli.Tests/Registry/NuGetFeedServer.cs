using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LeakGuard.Cli.Tests.Registry;

/// <summary>
/// A stand-in for a NuGet v3 feed (no real NuGet server runs on this machine): an HttpListener
/// on 127.0.0.1 serving a v3 service index, a PackageBaseAddress/3.0.0 flat container with its
/// version list, and real .nupkg files made by <c>dotnet pack</c>. It can be told to fail the
/// next requests with given status codes, to prove retries. A .nupkg goes out in 64 KiB writes
/// and each write that succeeds is counted, so a test can tell a client that stopped early from
/// one that took the whole package (the count can run ahead of what the client read by what
/// the sockets buffer, a few MiB at most on loopback).
/// </summary>
public sealed class NuGetFeedServer : IDisposable
{
    private const int WriteSize = 64 * 1024;

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, SortedDictionary<string, byte[]>> _packages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unsized = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _served = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HttpStatusCode> _failures = new();
    private readonly Thread _loop;
    private int _requests;
    private int _busy;

    public string IndexUrl { get; }

    public int Requests => _requests;

    public NuGetFeedServer()
    {
        // HttpListener cannot bind port 0; a port just released by the OS is free in practice.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            IndexUrl = $"http://127.0.0.1:{port}/v3/index.json";
        }
        _listener.Start();
        _loop = new Thread(Serve) { IsBackground = true };
        _loop.Start();
    }

    public void Add(string id, string version, string nupkgPath) => Add(id, version, File.ReadAllBytes(nupkgPath));

    /// <param name="announceSize">False: sent chunked, with no Content-Length, so the client
    /// learns how big the package is only by reading it.</param>
    public void Add(string id, string version, byte[] nupkg, bool announceSize = true)
    {
        lock (_packages)
        {
            string lowerId = id.ToLowerInvariant();
            if (!_packages.TryGetValue(lowerId, out var versions))
            {
                _packages[lowerId] = versions = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            }
            versions[version.ToLowerInvariant()] = nupkg;
            if (!announceSize)
            {
                _unsized.Add(NupkgPath(lowerId, version.ToLowerInvariant()));
            }
        }
    }

    /// <summary>Body bytes of this .nupkg the server has written so far, over all requests for it.</summary>
    public long BytesServed(string id, string version) =>
        _served.GetValueOrDefault(NupkgPath(id.ToLowerInvariant(), version.ToLowerInvariant()));

    /// <summary>Waits until no response is being written (a client that went away ends its
    /// response at the next write), so that <see cref="BytesServed"/> is final.</summary>
    public void WaitUntilIdle(TimeSpan timeout)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref _busy) > 0)
        {
            Assert.True(deadline.Elapsed < timeout, $"the feed was still writing a response after {timeout}");
            Thread.Sleep(50);
        }
    }

    private static string NupkgPath(string lowerId, string lowerVersion) => $"/v3-flatcontainer/{lowerId}/{lowerVersion}/{lowerId}.{lowerVersion}.nupkg";

    /// <summary>The next requests answer these statuses, in order, whatever they ask for.</summary>
    public void FailNext(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            _failures.Enqueue(status);
        }
    }

    private void Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            Interlocked.Increment(ref _busy);
            try
            {
                Respond(context);
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
            }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (_failures.TryDequeue(out var failure))
            {
                response.StatusCode = (int)failure;
                response.Close();
                return;
            }
            string path = context.Request.Url!.AbsolutePath;
            var (status, body, type) = Answer(path);
            response.StatusCode = (int)status;
            response.ContentType = type;
            bool package = path.EndsWith(".nupkg", StringComparison.Ordinal) && status == HttpStatusCode.OK;
            bool unsized;
            lock (_packages)
            {
                unsized = _unsized.Contains(path);
            }
            if (unsized)
            {
                response.SendChunked = true;
            }
            else
            {
                response.ContentLength64 = body.Length;
            }
            for (int at = 0; at < body.Length; at += WriteSize)
            {
                int count = Math.Min(WriteSize, body.Length - at);
                response.OutputStream.Write(body, at, count);
                if (package)
                {
                    _served.AddOrUpdate(path, count, (_, served) => served + count);
                }
            }
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client hung up mid-body, as one does when a package is larger than it allows.
            response.Abort();
        }
    }

    private (HttpStatusCode, byte[], string) Answer(string path)
    {
        string origin = IndexUrl[..IndexUrl.IndexOf("/v3/", StringComparison.Ordinal)];
        if (path == "/v3/index.json")
        {
            return Json($$"""
                { "version": "3.0.0", "resources": [
                  { "@id": "{{origin}}/v3/search", "@type": "SearchQueryService" },
                  { "@id": "{{origin}}/v3-flatcontainer/", "@type": "PackageBaseAddress/3.0.0" } ] }
                """);
        }
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        lock (_packages)
        {
            if (parts is ["v3-flatcontainer", var id, "index.json"] && _packages.TryGetValue(id, out var versions))
            {
                return Json($$"""{ "versions": [{{string.Join(", ", versions.Keys.Select(v => $"\"{v}\""))}}] }""");
            }
            if (parts is ["v3-flatcontainer", var pid, var version, var file] && _packages.TryGetValue(pid, out var known)
                && known.TryGetValue(version, out var nupkg) && file == $"{pid}.{version}.nupkg")
            {
                return (HttpStatusCode.OK, nupkg, "application/octet-stream");
            }
        }
        return (HttpStatusCode.NotFound, [], "text/plain");
    }

    private static (HttpStatusCode, byte[], string) Json(string text) => (HttpStatusCode.OK, Encoding.UTF8.GetBytes(text), "application/json");

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Join(5_000);
    }
}
