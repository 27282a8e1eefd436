using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>A webhook on 127.0.0.1 that keeps every body it is sent; it can go down and come back
/// on the same port, as a real receiver does during a deploy.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly HttpStatusCode _answer;
    private HttpListener? _listener;

    /// <param name="answer">What every request gets: 204, or 500 for a receiver that is broken for
    /// good (the bodies are kept all the same, so attempts can be counted).</param>
    public WebhookReceiver(HttpStatusCode answer = HttpStatusCode.NoContent)
    {
        _answer = answer;
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public IReadOnlyList<string> Bodies => [.. _bodies];

    public void Start()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _listener = listener;
        _ = Task.Run(() => ServeAsync(listener));
    }

    /// <summary>Stops answering: connections are refused until <see cref="Start"/>.</summary>
    public void Stop()
    {
        _listener?.Close();
        _listener = null;
    }

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                _bodies.Enqueue(await reader.ReadToEndAsync());
            }
            context.Response.StatusCode = (int)_answer;
            context.Response.Close();
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Stop();
}
