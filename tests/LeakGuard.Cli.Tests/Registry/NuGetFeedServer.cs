using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LeakGuard.Cli.Tests.Registry;

/// <summary>
/// A stand-in for a NuGet v3 feed (no real NuGet server runs on this machine): an HttpListener
/// on 127.0.0.1 serving a v3 service index, a PackageBaseAddress/3.0.0 flat container with its
/// version list, and real .nupkg files made by <c>dotnet pack</c>. It can be told to fail the
/// next requests with given status codes, to prove retries.
/// </summary>
public sealed class NuGetFeedServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, SortedDictionary<string, byte[]>> _packages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HttpStatusCode> _failures = new();
    private readonly Thread _loop;
    private int _requests;

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

    public void Add(string id, string version, string nupkgPath)
    {
        lock (_packages)
        {
            string lowerId = id.ToLowerInvariant();
            if (!_packages.TryGetValue(lowerId, out var versions))
            {
                _packages[lowerId] = versions = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            }
            versions[version.ToLowerInvariant()] = File.ReadAllBytes(nupkgPath);
        }
    }

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
            using var response = context.Response;
            if (_failures.TryDequeue(out var failure))
            {
                response.StatusCode = (int)failure;
                continue;
            }
            var (status, body, type) = Answer(context.Request.Url!.AbsolutePath);
            response.StatusCode = (int)status;
            response.ContentType = type;
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
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
