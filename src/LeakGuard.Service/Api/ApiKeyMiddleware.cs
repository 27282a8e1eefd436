using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Service.Api;

/// <summary>
/// Lets a request through only with <c>Authorization: Bearer &lt;key&gt;</c> (the form Prometheus
/// scrapers and curl both send); <c>/healthz</c> is open so orchestrators can probe without a key.
/// A refusal is logged with method, path and reason; never the header, the query or the key; and
/// at most <see cref="RefusalLog.PerWindow"/> a minute (<see cref="RefusalLog"/>).
/// </summary>
public sealed partial class ApiKeyMiddleware(RequestDelegate next, ApiKey key, RefusalLog refusals, ILogger<ApiKeyMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals(ApiRoutes.Health, StringComparison.Ordinal))
        {
            return next(context);
        }
        string? reason = Refusal(context.Request.Headers.Authorization.ToString());
        if (reason is null)
        {
            return next(context);
        }
        var (log, unloggedBefore) = refusals.Next();
        if (unloggedBefore > 0)
        {
            LogUnlogged(logger, unloggedBefore, PerWindowText);
        }
        if (log)
        {
            LogRefused(logger, context.Request.Method, context.Request.Path.Value ?? "", reason);
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private string? Refusal(string authorization)
    {
        if (authorization.Length == 0)
        {
            return "no API key";
        }
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return "Authorization is not a Bearer key";
        }
        return key.Matches(authorization.AsSpan(BearerPrefix.Length).Trim()) ? null : "wrong API key";
    }

    private static readonly string PerWindowText = $"{RefusalLog.PerWindow} a minute";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} more requests without logging each (at most {Limit} are logged)")]
    private static partial void LogUnlogged(ILogger logger, long count, string limit);
}
