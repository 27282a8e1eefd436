using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary>
/// Azure Storage's Blob service as Microsoft documents Shared Key authorization ("Authorize with
/// Shared Key"): the <c>Authorization: SharedKey ACCOUNT:SIGNATURE</c> header is checked by building
/// the string to sign from the verb, the standard headers, the canonicalized <c>x-ms-</c> headers and
/// the canonicalized resource, and signing it with HMAC-SHA256 under the account's key. A good
/// signature gets the service's properties; a bad one, or an unknown account, is
/// <c>403 AuthenticationFailed</c> (header <c>x-ms-error-code</c> and XML body, as the service answers).
/// </summary>
internal static class FakeAzureBlob
{
    /// <summary>What the SDK sends for Get Blob Service Properties.</summary>
    public const string PropertiesPath = "/?restype=service&comp=properties";

    private static readonly string[] StandardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    /// <param name="keys">Account names and their base64 keys.</param>
    public static IResult Answer(FakeProviders.Recorded request, IReadOnlyDictionary<string, string> keys)
    {
        string authorization = request.Header("Authorization") ?? "";
        if (!authorization.StartsWith("SharedKey ", StringComparison.Ordinal) || request.Header("x-ms-date") is null)
        {
            return Error(403, "NoAuthenticationInformation", "Server failed to authenticate the request.");
        }
        string[] credential = authorization["SharedKey ".Length..].Split(':', 2);
        if (credential.Length != 2 || !keys.TryGetValue(credential[0], out string? key))
        {
            return Error(403, "AuthenticationFailed", "Server failed to authenticate the request.");
        }
        var text = new StringBuilder(request.Method).Append('\n');
        foreach (string name in StandardHeaders)
        {
            string value = request.Header(name) ?? "";
            // Since version 2015-02-21 a zero Content-Length is signed as empty.
            text.Append(name == "Content-Length" && value == "0" ? "" : value).Append('\n');
        }
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim())).OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            text.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }
        string[] pathAndQuery = request.PathAndQuery.Split('?', 2);
        text.Append('/').Append(credential[0]).Append(pathAndQuery[0]);
        if (pathAndQuery.Length == 2)
        {
            foreach (var parameter in pathAndQuery[1].Split('&').Select(p => p.Split('=', 2))
                .Select(p => (Name: Uri.UnescapeDataString(p[0]).ToLowerInvariant(), Value: Uri.UnescapeDataString(p.ElementAtOrDefault(1) ?? "")))
                .OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                text.Append('\n').Append(parameter.Name).Append(':').Append(parameter.Value);
            }
        }
        string expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(text.ToString())));
        if (expected != credential[1])
        {
            return Error(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.");
        }
        return Results.Text("""
            <?xml version="1.0" encoding="utf-8"?>
            <StorageServiceProperties><Logging><Version>1.0</Version><Read>false</Read><Write>false</Write><Delete>false</Delete><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></Logging></StorageServiceProperties>
            """, "application/xml", statusCode: 200);
    }

    private static IResult Error(int status, string code, string message) => FakeProviders.WithHeader(Results.Text($"""
        <?xml version="1.0" encoding="utf-8"?>
        <Error><Code>{code}</Code><Message>{message}</Message></Error>
        """, "application/xml", statusCode: status), "x-ms-error-code", code);
}
