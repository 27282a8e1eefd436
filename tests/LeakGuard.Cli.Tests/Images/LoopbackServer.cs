using System.Net;
using LeakGuard.Cli.Tests.Watch;

namespace LeakGuard.Cli.Tests.Images;

/// <summary>An HTTP server on 127.0.0.1 and a free port that answers each request with
/// <c>handle</c> on a background thread, until disposed.</summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Thread _thread;

    public int Port { get; } = WebhookReceiver.FreePort();

    public LoopbackServer(Action<HttpListenerContext> handle)
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _thread = new Thread(() =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = _listener.GetContext();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using (context.Response)
                {
                    handle(context);
                }
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public void Dispose()
    {
        _listener.Close();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
