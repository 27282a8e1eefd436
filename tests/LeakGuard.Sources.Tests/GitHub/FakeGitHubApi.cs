using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Tests.GitHub;

/// <summary>
/// A local HTTP server on 127.0.0.1 answering in the shapes GitHub's REST API documents:
/// JSON arrays of repositories, pagination through <c>Link</c> headers, and rate-limit
/// responses with <c>x-ratelimit-*</c> headers. Each path serves its queued responses in order,
/// then repeats the last one; anything else is GitHub's 404.
/// </summary>
internal sealed class FakeGitHubApi : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Response>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Response> _last = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FakeGitHubApi()
    {
        // Bounded: a port taken between probing and binding is tried again with a fresh listener,
        // since one that failed to start keeps state about the port it could not have.
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                _listener = listener;
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                CloseQuietly(listener);
            }
        }
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    /// <summary>What a client is told to use as the API root (GitHub Enterprise Server's shape).</summary>
    public Uri ApiRoot => new($"http://127.0.0.1:{Port}/api/v3/");

    public ConcurrentQueue<(string PathAndQuery, string? Authorization)> Requests { get; } = new();

    public sealed record Response(int Status, string Body, IReadOnlyDictionary<string, string> Headers);

    public void Route(string pathAndQuery, params Response[] responses)
    {
        _routes[pathAndQuery] = new ConcurrentQueue<Response>(responses);
    }

    public string Url(string pathAndQuery) => $"http://127.0.0.1:{Port}{pathAndQuery}";

    public static Response Repositories(IReadOnlyDictionary<string, string>? headers, params object[] repositories) =>
        new(200, JsonSerializer.Serialize(repositories), headers ?? new Dictionary<string, string>());

    public static object Repository(long id, string fullName, string cloneUrl, bool fork = false, bool archived = false) => new
    {
        id,
        node_id = $"R_{id}",
        name = fullName.Split('/')[1],
        full_name = fullName,
        @private = false,
        owner = new { login = fullName.Split('/')[0], id = 1, type = "Organization" },
        html_url = $"https://github.example/{fullName}",
        clone_url = cloneUrl,
        fork,
        archived,
        disabled = false,
        default_branch = "main",
    };

    /// <summary>A primary rate limit as GitHub sends it: 403, nothing remaining, reset in epoch seconds.</summary>
    public static Response RateLimited(DateTimeOffset reset) => new(403,
        """{"message":"API rate limit exceeded for 127.0.0.1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""",
        new Dictionary<string, string>
        {
            ["x-ratelimit-limit"] = "60",
            ["x-ratelimit-remaining"] = "0",
            ["x-ratelimit-used"] = "60",
            ["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["x-ratelimit-resource"] = "core",
        });

    public static Response NotFound() => new(404,
        """{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}""",
        new Dictionary<string, string>());

    private async Task Serve()
    {
        while (_listener.IsListening)
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
            string key = context.Request.Url!.PathAndQuery;
            Requests.Enqueue((key, context.Request.Headers["Authorization"]));
            var response = Next(key);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }
            byte[] body = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private Response Next(string key)
    {
        if (!_routes.TryGetValue(key, out var queue))
        {
            return NotFound();
        }
        if (queue.TryDequeue(out var next))
        {
            _last[key] = next;
            return next;
        }
        return _last[key];
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        CloseQuietly(_listener);
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static void CloseQuietly(HttpListener listener)
    {
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
            // .NET's managed listener re-resolves its endpoint while closing and can trip over a port
            // another test has just taken; the listener is closed either way.
        }
    }
}
