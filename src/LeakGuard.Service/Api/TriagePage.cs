using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Service.Api;

/// <summary>
/// <c>GET /</c>: the triage page, one document with its style and script inline (Api/Page/). It
/// holds no data, so it is served without the key; everything it shows comes from the API after
/// sign-in (<see cref="SessionEndpoints"/>). Its Content-Security-Policy allows only this script
/// and style (by hash) and requests to this origin: no external assets, no framing.
/// </summary>
public static class TriagePage
{
    private static readonly string Script = Resource("triage.js");
    private static readonly string Style = Resource("triage.css");

    internal static readonly string Html = Resource("triage.html")
        .Replace("/*STYLE*/", Style, StringComparison.Ordinal)
        .Replace("/*SCRIPT*/", Script, StringComparison.Ordinal);

    internal static readonly string ContentSecurityPolicy =
        $"default-src 'none'; script-src '{Hash(Script)}'; style-src '{Hash(Style)}'; connect-src 'self'; img-src 'self'; "
        + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static void Map(WebApplication app) => app.MapMethods(ApiRoutes.TriagePage, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return Results.Text(Html, "text/html; charset=utf-8");
    });

    private static string Hash(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));

    private static string Resource(string name)
    {
        using var stream = typeof(TriagePage).Assembly.GetManifestResourceStream("LeakGuard.Service.Page." + name)
            ?? throw new InvalidOperationException($"the triage page's {name} is not embedded in {typeof(TriagePage).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
