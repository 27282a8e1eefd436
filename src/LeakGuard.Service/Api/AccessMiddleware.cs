using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Service.Api;

/// <summary>
/// Lets a request through with <c>Authorization: Bearer &lt;key&gt;</c> (the form Prometheus
/// scrapers and curl both send) or with a triage page session cookie (<see cref="TriageSessions"/>).
/// Open without either: <c>/healthz</c>, so orchestrators can probe; the page itself, which holds
/// no data; and the sign-in, which checks the key itself. A session's state-changing requests also
/// need its CSRF token in <see cref="TriageSessions.CsrfHeader"/> and, when the browser says where
/// they come from, this host as their Origin; the SameSite=Strict cookie is the first guard, these
/// the second. A refusal is logged with method, path and reason; never the header, the query or
/// the key; and at most <see cref="RefusalLog.PerWindow"/> a minute (<see cref="RefusalLog"/>).
/// </summary>
public sealed class AccessMiddleware(RequestDelegate next, ApiKey key, TriageSessions sessions, RefusalLog refusals,
    ILogger<AccessMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>The <see cref="HttpContext.Items"/> key of who is asking, for the finding history.</summary>
    public const string ActorItem = "leakguard.actor";

    /// <summary>The <see cref="HttpContext.Items"/> key of the triage session that let the request in, if one did.</summary>
    public const string SessionItem = "leakguard.session";

    public const string ApiKeyActor = "API key";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (IsOpen(request))
        {
            return next(context);
        }
        string authorization = request.Headers.Authorization.ToString();
        (string? reason, int status) = authorization.Length > 0
            ? (BearerRefusal(authorization), StatusCodes.Status401Unauthorized)
            : SessionRefusal(context);
        if (reason is null)
        {
            if (authorization.Length > 0)
            {
                context.Items[ActorItem] = ApiKeyActor;
            }
            return next(context);
        }
        refusals.Report(logger, request, reason);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return Task.CompletedTask;
    }

    private static bool IsOpen(HttpRequest request)
    {
        var path = request.Path;
        return path.Equals(ApiRoutes.Health, StringComparison.Ordinal)
            || (path.Equals(ApiRoutes.TriagePage, StringComparison.Ordinal) && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            || (path.Equals(ApiRoutes.Session, StringComparison.Ordinal) && HttpMethods.IsPost(request.Method));
    }

    private string? BearerRefusal(string authorization)
    {
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return "Authorization is not a Bearer key";
        }
        return key.Matches(authorization.AsSpan(BearerPrefix.Length).Trim()) ? null : "wrong API key";
    }

    private (string? Reason, int Status) SessionRefusal(HttpContext context)
    {
        var request = context.Request;
        if (!request.Cookies.TryGetValue(TriageSessions.CookieName, out string? token))
        {
            return ("no API key", StatusCodes.Status401Unauthorized);
        }
        if (sessions.Find(token) is not { } session)
        {
            return ("session unknown or expired", StatusCodes.Status401Unauthorized);
        }
        if (!IsSafe(request.Method))
        {
            if (!SameOrigin(request))
            {
                return ("session request from another origin", StatusCodes.Status403Forbidden);
            }
            if (!TriageSessions.CsrfMatches(session, request.Headers[TriageSessions.CsrfHeader].ToString()))
            {
                return ("session request without its CSRF token", StatusCodes.Status403Forbidden);
            }
        }
        context.Items[ActorItem] = session.Actor;
        context.Items[SessionItem] = session;
        return (null, 0);
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>True when the request names no Origin (not every browser sends one on same-origin
    /// requests) or names this host; the CSRF token is required either way.</summary>
    internal static bool SameOrigin(HttpRequest request)
    {
        string origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
