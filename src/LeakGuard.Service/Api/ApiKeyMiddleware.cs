using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Service.Api;

/// <summary>
/// Lets a request through only with <c>Authorization: Bearer &lt;key&gt;</c> (the form Prometheus
/// scrapers and curl both send); <c>/healthz</c> is open so orchestrators can probe without a key.
/// A refusal is logged with method, path and reason; never the header, the query or the key.
/// </summary>
public sealed partial class ApiKeyMiddleware(RequestDelegate next, ApiKey key, ILogger<ApiKeyMiddleware> logger)
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
        LogRefused(logger, context.Request.Method, context.Request.Path.Value ?? "", reason);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);
}
