using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LeakGuard.Cli.Tests.Watch;

/// <summary>A webhook on 127.0.0.1 that keeps every body it answers; it can go down and come back
/// on the same port, as a real receiver does during a deploy, or take requests and never answer,
/// as a receiver that hangs does.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly ConcurrentQueue<string> _heldBodies = new();
    private readonly ConcurrentQueue<HttpListenerContext> _held = new();
    private readonly ManualResetEventSlim _heldArrived = new();
    private volatile bool _holding;
    private volatile int _status = (int)HttpStatusCode.NoContent;
    private HttpListener? _listener;

    /// <param name="answer">What every request gets until <see cref="Answer"/> says otherwise: 204,
    /// or 500 for a receiver that is broken for good (the bodies are kept all the same, so attempts can be counted).</param>
    public WebhookReceiver(HttpStatusCode answer = HttpStatusCode.NoContent)
    {
        _status = (int)answer;
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>The bodies of the requests it answered.</summary>
    public IReadOnlyList<string> Bodies => [.. _bodies];

    /// <summary>The bodies of the requests it holds without an answer.</summary>
    public IReadOnlyList<string> HeldBodies => [.. _heldBodies];

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

    /// <summary>From now on, reads each request and keeps it open without an answer, until <see cref="Answer"/>.</summary>
    public void Hold() => _holding = true;

    /// <summary>Whether a request arrived and is held, waiting up to <paramref name="timeout"/> for one.</summary>
    public bool WaitForHeld(TimeSpan timeout) => _heldArrived.Wait(timeout);

    /// <summary>Answers what arrives from now on with <paramref name="status"/>; requests held so far stay unanswered.</summary>
    public void Answer(HttpStatusCode status)
    {
        _status = (int)status;
        _holding = false;
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
            // Only the webhook's own POSTs are kept: its port came from FreePort, and another
            // test's readiness probe that picked the same port earlier may still knock on it.
            if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/hook")
            {
                context.Response.StatusCode = (int)HttpStatusCode.NotFound;
                context.Response.Close();
                continue;
            }
            string body;
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                body = await reader.ReadToEndAsync();
            }
            if (_holding)
            {
                _held.Enqueue(context);
                _heldBodies.Enqueue(body);
                _heldArrived.Set();
                continue;
            }
            _bodies.Enqueue(body);
            context.Response.StatusCode = _status;
            context.Response.Close();
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Stop();
        while (_held.TryDequeue(out var context))
        {
            context.Response.Abort();
        }
        _heldArrived.Dispose();
    }
}
