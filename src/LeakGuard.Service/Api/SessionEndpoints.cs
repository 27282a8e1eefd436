using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Service.Api;

/// <summary>
/// Signing in to the triage page with the API key (<c>POST /api/session</c> with
/// <c>{"key": "…"}</c>: sets the session cookie, answers the CSRF token), asking whether a
/// session is live (<c>GET</c>: the CSRF token again, for a reloaded page) and signing out
/// (<c>DELETE</c>). The sign-in takes only <c>application/json</c>, which a form on another site
/// cannot send without the browser asking first, and refuses another Origin.
/// </summary>
public static class SessionEndpoints
{
    private const long LargestSignInBody = 4096;

    public static void Map(WebApplication app)
    {
        app.MapPost(ApiRoutes.Session, SignInAsync);
        app.MapGet(ApiRoutes.Session, (HttpContext context) =>
            context.Items[AccessMiddleware.SessionItem] is TriageSessions.Session session
                ? Results.Json(new SessionBody(session.Csrf, session.Actor))
                : Results.Json(new SessionBody(null, AccessMiddleware.ApiKeyActor)));
        app.MapDelete(ApiRoutes.Session, (HttpContext context, TriageSessions sessions) =>
        {
            if (context.Request.Cookies.TryGetValue(TriageSessions.CookieName, out string? token))
            {
                sessions.End(token);
            }
            context.Response.Cookies.Delete(TriageSessions.CookieName, CookieOptions(context, TimeSpan.Zero));
            return Results.NoContent();
        });
    }

    private sealed record SessionBody(string? Csrf, string Actor);

    private static async Task<IResult> SignInAsync(HttpContext context, ApiKey key, TriageSessions sessions, RefusalLog refusals,
        ILoggerFactory loggers, CancellationToken cancellation)
    {
        var request = context.Request;
        var logger = loggers.CreateLogger(typeof(SessionEndpoints).FullName!);
        if (!AccessMiddleware.SameOrigin(request))
        {
            refusals.Report(logger, request, "sign-in from another origin");
            return Results.Json(new ErrorBody("sign in from this service's own page"), statusCode: StatusCodes.Status403Forbidden);
        }
        if (!request.HasJsonContentType())
        {
            return Results.Json(new ErrorBody("send application/json: {\"key\": \"…\"}"), statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        if (await RequestBody.ReadAsync(request, LargestSignInBody, cancellation).ConfigureAwait(false) is not { } bytes)
        {
            return RequestBody.TooLarge(LargestSignInBody);
        }
        string? candidate = null;
        try
        {
            using var body = JsonDocument.Parse(bytes);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("key", out var value)
                && value.ValueKind == JsonValueKind.String)
            {
                candidate = value.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string .NET cannot hold (a lone surrogate escape): no key either way.
        }
        if (candidate is null)
        {
            return Results.BadRequest(new ErrorBody("body needs a string \"key\": the service's API key"));
        }
        if (!key.Matches(candidate))
        {
            refusals.Report(logger, request, "wrong API key at sign-in");
            return Results.Json(new ErrorBody("wrong API key"), statusCode: StatusCodes.Status401Unauthorized);
        }
        var (token, session) = sessions.Start();
        context.Response.Cookies.Append(TriageSessions.CookieName, token, CookieOptions(context, TriageSessions.Lifetime));
        return Results.Json(new SessionBody(session.Csrf, session.Actor));
    }

    /// <summary>HttpOnly: the page's script never sees the token. SameSite=Strict: no other site's
    /// page sends it. Secure whenever the request came over HTTPS (behind a TLS proxy that says so).</summary>
    private static CookieOptions CookieOptions(HttpContext context, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = true,
    };
}
