using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Validation.Tests;

/// <summary>
/// Providers' validation endpoints as a local HTTPS server (Kestrel on 127.0.0.1, a certificate made
/// for the test and trusted only by the test's client). Each route is a handler that answers as the
/// provider documents; every request is recorded with its headers and body, so a test can tell
/// exactly what was sent where. Stops when disposed, also when a test fails.
/// </summary>
internal sealed class FakeProviders : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<Recorded, int, IResult>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public sealed record Recorded(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        /// <summary>Everything a secret could travel in.</summary>
        public string Everything => $"{Method} {PathAndQuery}\n{string.Join('\n', Headers.Select(h => $"{h.Key}: {h.Value}"))}\n{Body}";
    }

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public X509Certificate2 Certificate { get; }

    public Uri Origin { get; }

    private FakeProviders(WebApplication app, X509Certificate2 certificate, Uri origin)
    {
        _app = app;
        Certificate = certificate;
        Origin = origin;
    }

    public static async Task<FakeProviders> StartAsync()
    {
        var certificate = TestCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(certificate);
            }));
        var app = builder.Build();
        FakeProviders? fake = null;
        app.Run(async context => await fake!.HandleAsync(context));
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        fake = new FakeProviders(app, certificate, new Uri($"https://127.0.0.1:{address.Port}"));
        return fake;
    }

    /// <summary>Answers requests to <paramref name="path"/> (path and query, as sent) with
    /// <paramref name="answer"/>, told the request and how many came before it on this route.</summary>
    public void Route(string path, Func<Recorded, int, IResult> answer) => _routes[path] = answer;

    /// <summary>The test's own endpoints and certificate, as the CLI reads them.</summary>
    public ValidationEndpoints Endpoints => new() { Override = Origin, TrustedCertificate = Certificate };

    /// <summary>The test-only variables that point a LeakGuard process at this fake and make it
    /// trust the fake's certificate.</summary>
    public async Task<Dictionary<string, string>> ProcessEnvironmentAsync() => new()
    {
        [ValidationEndpoints.EndpointVariable] = Origin.ToString(),
        [ValidationEndpoints.CertificateVariable] = await CertificatePemFileAsync(),
    };

    public async Task<string> CertificatePemFileAsync()
    {
        string path = Path.Join(Directory.CreateTempSubdirectory("leakguard-validation-ca-").FullName, "ca.pem");
        await File.WriteAllTextAsync(path, Certificate.ExportCertificatePem());
        return path;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new Recorded(request.Method, request.Path + request.QueryString,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        Requests.Enqueue(recorded);
        if (!_routes.TryGetValue(recorded.PathAndQuery, out var answer))
        {
            await Results.NotFound().ExecuteAsync(context);
            return;
        }
        int before = _attempts.AddOrUpdate(recorded.PathAndQuery, 0, (_, n) => n + 1);
        await answer(recorded, before).ExecuteAsync(context);
    }

    /// <summary><paramref name="inner"/> with one more header (GitHub's X-OAuth-Scopes, a Retry-After).</summary>
    public static IResult WithHeader(IResult inner, string name, string value) => new HeaderAdded(inner, name, value);

    private sealed class HeaderAdded(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers[name] = value;
            return inner.ExecuteAsync(context);
        }
    }

    /// <summary>Self-signed for 127.0.0.1, valid for a day: trusted by nothing but the test's client.</summary>
    private static X509Certificate2 TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=leakguard-validation-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel needs the key in a form the platform's TLS can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
