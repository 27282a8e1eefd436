using System.Globalization;
using System.Text.Json;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Service.Api;

/// <summary>
/// <c>GET /api/findings</c> (filters: severity = at least this severe, status, target, kind, rule,
/// confidence = at least this likely, since, after, limit), <c>GET /api/findings/{id}</c> (one
/// finding with its history, 404 when there is none) and <c>PATCH /api/findings/{id}</c> with
/// <c>{"status": "…"}</c> (recorded in the history with who set it). All sit behind the API key or
/// a triage page session (<see cref="AccessMiddleware"/>). Bad input is a 400 naming the parameter (an
/// unknown or repeated one too); a body over 4 KB is a 413, however it is sent.
/// </summary>
public static class FindingsEndpoints
{
    public const string Findings = "/api/findings";

    /// <summary>A triage request is a few dozen bytes; anything far larger is refused unread.</summary>
    private const long LargestPatchBody = 4096;

    public static void Map(WebApplication app, ILeakGuardStore store)
    {
        app.MapGet(Findings, (HttpRequest request, CancellationToken cancellation) => ListAsync(store, request, cancellation));
        app.MapGet(Findings + "/{id:long}", (long id, CancellationToken cancellation) => GetAsync(store, id, cancellation));
        app.MapMethods(Findings + "/{id:long}", [HttpMethods.Patch],
            (long id, HttpContext context, CancellationToken cancellation) => SetStatusAsync(store, id, context, cancellation));
    }

    private static readonly string[] Filters = ["severity", "status", "target", "kind", "rule", "confidence", "since", "after", "limit"];

    private static async Task<IResult> ListAsync(ILeakGuardStore store, HttpRequest request, CancellationToken cancellation)
    {
        var query = new FindingQuery();
        var parameters = request.Query;
        // A filter that is misspelt, or given twice, would otherwise be dropped and the answer hold
        // findings the caller asked to leave out.
        foreach (var (name, values) in parameters)
        {
            if (!Filters.Contains(name, StringComparer.Ordinal))
            {
                return BadRequest($"unknown parameter '{name}' (known: {string.Join(", ", Filters)})");
            }
            if (values.Count > 1)
            {
                return BadRequest($"{name}: given {values.Count} times; give it once");
            }
        }
        if (parameters["severity"] is [{ } severityText])
        {
            if (!SeverityNames.TryParse(severityText, out var severity))
            {
                return BadRequest($"severity: '{severityText}' is not one of critical, high, medium, low, info");
            }
            query = query with { MinimumSeverity = severity };
        }
        if (parameters["status"] is [{ } statusText])
        {
            if (!TriageStatusNames.TryParse(statusText, out var status))
            {
                return BadRequest(UnknownStatus(statusText));
            }
            query = query with { Status = status };
        }
        if (parameters["target"] is [{ } target])
        {
            if (target.Length == 0)
            {
                return BadRequest("target: empty; name a target as the configuration does (npm:@acme/cli)");
            }
            query = query with { Target = target };
        }
        if (parameters["kind"] is [{ } kindText])
        {
            if (!SeverityNames.TryParseKind(kindText, out var kind))
            {
                return BadRequest($"kind: '{kindText}' is not one of secret, exposure, fingerprint");
            }
            query = query with { Kind = kind };
        }
        if (parameters["rule"] is [{ } rule])
        {
            if (rule.Length == 0)
            {
                return BadRequest("rule: empty; name a rule id (github.pat)");
            }
            query = query with { RuleId = rule };
        }
        if (parameters["confidence"] is [{ } confidenceText])
        {
            if (!SeverityNames.TryParseConfidence(confidenceText, out var confidence))
            {
                return BadRequest($"confidence: '{confidenceText}' is not one of high, medium, low");
            }
            query = query with { MinimumConfidence = confidence };
        }
        if (parameters["since"] is [{ } sinceText])
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                return BadRequest($"since: '{sinceText}' is not a date and time such as 2026-01-31T12:00:00Z");
            }
            query = query with { Since = since };
        }
        if (parameters["after"] is [{ } afterText])
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out long after))
            {
                return BadRequest($"after: '{afterText}' is not a finding id");
            }
            query = query with { AfterId = after };
        }
        if (parameters["limit"] is [{ } limitText])
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) || limit is < 1 or > FindingQuery.MaxLimit)
            {
                return BadRequest($"limit: '{limitText}' is not a number from 1 to {FindingQuery.MaxLimit}");
            }
            query = query with { Limit = limit };
        }
        var findings = await store.QueryFindingsAsync(query, cancellation).ConfigureAwait(false);
        return Results.Bytes(Serialize(findings), "application/json; charset=utf-8");
    }

    private static async Task<IResult> GetAsync(ILeakGuardStore store, long id, CancellationToken cancellation)
    {
        if (await store.GetFindingAsync(id, cancellation).ConfigureAwait(false) is not { } found)
        {
            return Results.NotFound(new ErrorBody($"no finding has the id {id}"));
        }
        var history = await store.GetFindingHistoryAsync(id, cancellation).ConfigureAwait(false);
        return Results.Bytes(Write(json => WriteFinding(json, found, history)), "application/json; charset=utf-8");
    }

    private static async Task<IResult> SetStatusAsync(ILeakGuardStore store, long id, HttpContext context, CancellationToken cancellation)
    {
        var request = context.Request;
        if (await RequestBody.ReadAsync(request, LargestPatchBody, cancellation).ConfigureAwait(false) is not { } bytes)
        {
            return RequestBody.TooLarge(LargestPatchBody);
        }
        string? statusText;
        try
        {
            using var body = JsonDocument.Parse(bytes);
            statusText = body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
                ? status.GetString()
                : null;
        }
        catch (JsonException)
        {
            return BadRequest("body is not JSON; send {\"status\": \"…\"}");
        }
        catch (InvalidOperationException)
        {
            // A string JSON can spell but .NET cannot hold: a lone surrogate escape ("\udc00").
            return BadRequest("status is not text; send {\"status\": \"…\"}");
        }
        if (statusText is null)
        {
            return BadRequest("body needs a string \"status\"");
        }
        if (!TriageStatusNames.TryParse(statusText, out var triage))
        {
            return BadRequest(UnknownStatus(statusText));
        }
        string actor = context.Items[AccessMiddleware.ActorItem] as string ?? AccessMiddleware.ApiKeyActor;
        return await store.SetTriageStatusAsync(id, triage, actor, cancellation).ConfigureAwait(false)
            ? Results.NoContent()
            : Results.NotFound(new ErrorBody($"no finding with id {id}"));
    }

    private static string UnknownStatus(string text) =>
        $"status: '{text}' is not one of open, acknowledged, false-positive, resolved";

    private static IResult BadRequest(string message) => Results.BadRequest(new ErrorBody(message));

    /// <summary><c>{"findings": [...]}</c>: each finding as <see cref="WriteFinding"/> writes it.</summary>
    private static byte[] Serialize(IReadOnlyList<StoredFinding> findings) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("findings");
        foreach (var stored in findings)
        {
            WriteFinding(json, stored);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        return buffer.ToArray();
    }

    /// <summary>A finding as the scan report writes it, after the store's own fields; with its
    /// history when one finding is asked for.</summary>
    private static void WriteFinding(Utf8JsonWriter json, StoredFinding stored, IReadOnlyList<FindingEvent>? history = null)
    {
        json.WriteStartObject();
        json.WriteNumber("id", stored.Id);
        json.WriteString("target", stored.Target);
        json.WriteString("status", TriageStatusNames.ToName(stored.Status));
        json.WriteString("firstSeen", stored.FirstSeen);
        json.WriteString("lastSeen", stored.LastSeen);
        FindingJson.WriteFields(json, stored.Finding);
        if (history is not null)
        {
            json.WriteStartArray("history");
            foreach (var entry in history)
            {
                json.WriteStartObject();
                json.WriteString("at", entry.At);
                json.WriteString("event", entry.Kind switch
                {
                    FindingEventKind.Found => "found",
                    FindingEventKind.Validation => "validation",
                    _ => "status",
                });
                if (entry.Validation is { } validation)
                {
                    json.WriteString("validation", validation);
                }
                if (entry.Status is { } status)
                {
                    json.WriteString("status", TriageStatusNames.ToName(status));
                }
                if (entry.Actor is { } actor)
                {
                    json.WriteString("actor", actor);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
