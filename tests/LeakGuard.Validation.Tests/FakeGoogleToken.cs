using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary>
/// Google's OAuth token endpoint for service accounts as Google documents it ("Using OAuth 2.0 for
/// Server to Server Applications"): a form POST with <c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer</c>
/// and an <c>assertion</c> JWT signed RS256 by the account's key, whose claims name the account
/// (<c>iss</c>), the scopes, the token endpoint (<c>aud</c>) and a lifetime of at most an hour. A
/// good assertion gets an access token; an unknown account or a signature its key does not check
/// is <c>400 invalid_grant</c>, Google's answer for both.
/// </summary>
internal static class FakeGoogleToken
{
    public const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <param name="accounts">The service accounts' emails and public keys.</param>
    public static IResult Answer(FakeProviders.Recorded request, IReadOnlyDictionary<string, RSA> accounts)
    {
        var form = request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.ElementAtOrDefault(1) ?? ""));
        if (request.Method != "POST" || form.GetValueOrDefault("grant_type") != JwtBearer || form.GetValueOrDefault("assertion") is not { } assertion)
        {
            return Error(400, "unsupported_grant_type", "Invalid grant_type");
        }
        string[] parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return Error(400, "invalid_request", "Invalid JWT");
        }
        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url(parts[1]));
        string issuer = claims.RootElement.GetProperty("iss").GetString() ?? "";
        if (header.RootElement.GetProperty("alg").GetString() != "RS256" || !accounts.TryGetValue(issuer, out var key))
        {
            return Error(400, "invalid_grant", "Invalid grant: account not found");
        }
        bool signed = key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        long issued = claims.RootElement.GetProperty("iat").GetInt64(), expires = claims.RootElement.GetProperty("exp").GetInt64();
        if (!signed || expires - issued > 3600 || !claims.RootElement.TryGetProperty("scope", out _)
            || claims.RootElement.GetProperty("aud").GetString() is not { Length: > 0 })
        {
            return Error(400, "invalid_grant", "Invalid JWT Signature.");
        }
        return Results.Json(new { access_token = "ya29.c.fake-token-for-tests", expires_in = 3599, token_type = "Bearer" });
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    private static byte[] Base64Url(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
