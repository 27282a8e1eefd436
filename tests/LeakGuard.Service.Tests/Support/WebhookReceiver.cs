using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;

namespace LeakGuard.Service.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 that records every request and answers with a set status.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly Task serving;
    private readonly CancellationTokenSource stopping = new();

    private WebhookReceiver(HttpListener listener, Uri url, HttpStatusCode status)
    {
        this.listener = listener;
        Url = url;
        Status = status;
        serving = ServeAsync();
    }

    public Uri Url { get; }

    public HttpStatusCode Status { get; set; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public static WebhookReceiver Start(HttpStatusCode status = HttpStatusCode.OK)
    {
        // Another process may take the probed port between probe and bind: try a few.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new WebhookReceiver(listener, new Uri($"http://127.0.0.1:{port}/hook"), status);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, new NameValueCollection(context.Request.Headers), body.ToArray()));
            context.Response.StatusCode = (int)Status;
            if ((int)Status is >= 300 and < 400)
            {
                // Somewhere a client that follows redirects would go next, and be counted.
                context.Response.RedirectLocation = "/elsewhere";
            }
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        listener.Close();
        await serving;
        stopping.Dispose();
    }
}

internal sealed record ReceivedRequest(string Method, string Path, NameValueCollection Headers, byte[] Body);
