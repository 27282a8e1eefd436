using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace LeakGuard.Service.Api;

/// <summary>
/// The HTTP API on Kestrel: <c>/healthz</c>, the triage page (<see cref="TriagePage"/>) and its
/// sign-in (<see cref="SessionEndpoints"/>) open, everything else behind <see cref="AccessMiddleware"/>.
/// <see cref="FindingsEndpoints"/> adds the findings routes once the store is open.
/// </summary>
public static class ApiServer
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <param name="listen">Where to bind; the configuration defaults it to 127.0.0.1:8088.</param>
    /// <param name="logger">Serilog logger that all of ASP.NET Core's logging goes through.</param>
    /// <param name="services">More services for the same host: the worker adds its watchers and
    /// delivery loop here, so API and worker share one lifetime and one shutdown.</param>
    /// <param name="time">The clock refusals are counted by (<see cref="RefusalLog"/>).</param>
    /// <param name="host">More for the host itself: the worker makes it an Orleans silo.</param>
    public static WebApplication Build(IPEndPoint listen, ApiKey key, ServiceMetrics metrics, Serilog.ILogger logger,
        Action<IServiceCollection>? services = null, TimeProvider? time = null, Action<IHostApplicationBuilder>? host = null)
    {
        if (!IPAddress.IsLoopback(listen.Address))
        {
            // Nothing stops anyone who can reach the port but the key, and plain HTTP carries it in clear.
            logger.Warning("api.listen {Listen} is not a loopback address: other machines can reach the API, which has only its key "
                + "to protect findings and sends it unencrypted (HTTP); listen on 127.0.0.1 behind a TLS proxy instead", listen);
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // Only what is configured here: no appsettings.json or ASPNETCORE_URLS can widen the bind address.
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(listen));
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.AddSingleton(key);
        builder.Services.AddSingleton(new RefusalLog(time ?? TimeProvider.System));
        builder.Services.AddSingleton(new TriageSessions(time ?? TimeProvider.System));
        builder.Services.AddSingleton(metrics);
        services?.Invoke(builder.Services);
        host?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<AccessMiddleware>();
        app.MapGet(ApiRoutes.Health, () => Results.Text("ok\n"));
        TriagePage.Map(app);
        SessionEndpoints.Map(app);
        app.MapGet(ApiRoutes.Metrics, (ServiceMetrics registry) => Results.Text(registry.ToPrometheusText(), PrometheusContentType));
        return app;
    }
}
