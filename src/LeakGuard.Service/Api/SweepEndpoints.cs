using System.Text.Json;
using LeakGuard.Service.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Service.Api;

/// <summary>
/// <c>POST /api/scans</c> with <c>{"target": "npm:@acme/*@all"}</c> (and <c>"registry"</c> for an
/// npm registry or NuGet source other than the default) starts a sweep: <c>202</c> with its id;
/// <c>GET /api/scans/{id}</c> says how far it got. Behind the API key or a triage session, as every
/// <c>/api</c> path is; a body over 4 KB is a 413.
/// </summary>
internal static class SweepEndpoints
{
    public const string Scans = "/api/scans";

    private const long LargestBody = 4096;

    public static void Map(WebApplication app, Sweeps sweeps)
    {
        app.MapPost(Scans, (HttpRequest request, CancellationToken cancellation) => StartAsync(sweeps, request, cancellation));
        app.MapGet(Scans + "/{id:long}", async (long id) => await sweeps.GetAsync(id).ConfigureAwait(false) is { } sweep
            ? Results.Json(View(sweep))
            : Results.Json(new ErrorBody($"no sweep {id}"), statusCode: StatusCodes.Status404NotFound));
    }

    private static async Task<IResult> StartAsync(Sweeps sweeps, HttpRequest request, CancellationToken cancellation)
    {
        if (await RequestBody.ReadAsync(request, LargestBody, cancellation).ConfigureAwait(false) is not { } bytes)
        {
            return RequestBody.TooLarge(LargestBody);
        }
        string? target;
        string? registry;
        try
        {
            using var body = JsonDocument.Parse(bytes);
            var root = body.RootElement;
            target = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            registry = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("registry", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return BadRequest("body is not JSON; send {\"target\": \"npm:@acme/*@all\"}");
        }
        if (string.IsNullOrWhiteSpace(target))
        {
            return BadRequest("body needs a string \"target\", as scan names one (npm:@acme/*@all, git:URL, …)");
        }
        Uri? feed = null;
        if (registry is not null && (!Uri.TryCreate(registry, UriKind.Absolute, out feed) || feed.Scheme is not ("http" or "https")))
        {
            return BadRequest($"registry: '{registry}' is not an http(s) URL");
        }
        try
        {
            var sweep = await sweeps.StartAsync(target, feed).ConfigureAwait(false);
            return Results.Json(View(sweep), statusCode: StatusCodes.Status202Accepted);
        }
        catch (ArgumentException e)
        {
            return BadRequest(e.Message);
        }
    }

    private static object View(SweepState sweep) => new
    {
        id = sweep.Id,
        target = sweep.Target,
        status = sweep.Status,
        startedAt = sweep.StartedAt,
        finishedAt = sweep.FinishedAt,
        scans = sweep.Scans,
        bytes = sweep.Bytes,
        newFindings = sweep.NewFindings,
        error = sweep.Error,
    };

    private static IResult BadRequest(string message) => Results.BadRequest(new ErrorBody(message));
}
