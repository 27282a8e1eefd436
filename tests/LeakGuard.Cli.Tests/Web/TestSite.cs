using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Cli.Tests.Web;

/// <summary>
/// A deployed site on Kestrel, 127.0.0.1, port 0: serves the files it is given (with their
/// content type and any extra headers) and answers everything else 404, or with a handler a test
/// adds (a redirect loop, a 2 GB stream, a server that never answers). Records every request's
/// path and Cookie header, and Stops when disposed; a handler
/// still running stops with the request it serves.
/// </summary>
internal sealed class TestSite : IDisposable
{
    private sealed record Served(byte[] Body, string ContentType, IReadOnlyDictionary<string, string> Headers);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Served> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RequestDelegate> _handlers = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Path, string? Cookie)> Requests { get; } = new();

    public string Url { get; }

    public Uri Root => new(Url);

    public TestSite()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(Serve);
        _app.StartAsync().GetAwaiter().GetResult();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Url = address.TrimEnd('/') + "/";
    }

    public void Add(string path, byte[] body, string contentType, IReadOnlyDictionary<string, string>? headers = null) =>
        _files[path] = new Served(body, contentType, headers ?? new Dictionary<string, string>());

    public void Add(string path, string body, string contentType, IReadOnlyDictionary<string, string>? headers = null) =>
        Add(path, System.Text.Encoding.UTF8.GetBytes(body), contentType, headers);

    public void Remove(string path) => _files.TryRemove(path, out _);

    public void Handle(string path, RequestDelegate handler) => _handlers[path] = handler;

    /// <summary>Writes <paramref name="bytes"/> in 64 KiB pieces without announcing the size
    /// (a write waits while the client is not reading); stops when the client goes away.</summary>
    public static async Task StreamAsync(HttpContext context, long bytes)
    {
        context.Response.ContentType = "application/javascript";
        byte[] piece = new byte[64 * 1024];
        Array.Fill(piece, (byte)'a');
        for (long sent = 0; sent < bytes && !context.RequestAborted.IsCancellationRequested; sent += piece.Length)
        {
            var flushed = await context.Response.BodyWriter.WriteAsync(piece, context.RequestAborted);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }

    private async Task Serve(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        Requests.Enqueue((path, context.Request.Headers.Cookie.FirstOrDefault()));
        try
        {
            if (_handlers.TryGetValue(path, out var handler))
            {
                await handler(context);
                return;
            }
            if (!_files.TryGetValue(path, out var file))
            {
                context.Response.StatusCode = 404;
                return;
            }
            context.Response.ContentType = file.ContentType;
            foreach (var (name, value) in file.Headers)
            {
                context.Response.Headers[name] = value;
            }
            await context.Response.Body.WriteAsync(file.Body, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away (the crawl refused the rest of the body): nothing to answer.
        }
    }

    public void Dispose()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _app.StopAsync(stop.Token).GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }
}
