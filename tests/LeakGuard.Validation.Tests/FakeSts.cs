using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary>
/// AWS STS's <c>GetCallerIdentity</c> as AWS documents it: the request's SigV4 signature is checked
/// the way AWS's "Create a signed AWS API request" page describes (canonical request, string to
/// sign, the derived signing key), against the secret of the key id it names. A known key with a
/// good signature gets its caller identity; an unknown key id is <c>InvalidClientTokenId</c>, a bad
/// signature <c>SignatureDoesNotMatch</c>, both 403 with STS's XML error.
/// </summary>
internal static partial class FakeSts
{
    public const string Account = "123456789012";

    public static IResult Answer(FakeProviders.Recorded request, IReadOnlyDictionary<string, string> keys)
    {
        var authorization = AuthorizationHeader().Match(request.Header("Authorization") ?? "");
        if (!authorization.Success || !request.Body.Contains("Action=GetCallerIdentity", StringComparison.Ordinal))
        {
            return Error(400, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        string keyId = authorization.Groups["key"].Value;
        if (!keys.TryGetValue(keyId, out string? secret))
        {
            return Error(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        string scope = authorization.Groups["scope"].Value;
        string[] signedHeaders = authorization.Groups["headers"].Value.Split(';');
        string canonicalHeaders = string.Concat(signedHeaders.Select(h => $"{h}:{Collapse(request.Header(h) ?? "")}\n"));
        string canonicalRequest = string.Join('\n', request.Method, PathOf(request.PathAndQuery), QueryOf(request.PathAndQuery),
            canonicalHeaders, string.Join(';', signedHeaders), Hex(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body))));
        string stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", request.Header("X-Amz-Date"), scope,
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        string[] parts = scope.Split('/');
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (string part in parts)
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }
        string expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        if (parts is not [_, _, "sts", "aws4_request"] || expected != authorization.Groups["signature"].Value)
        {
            return Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
        }
        return Results.Text($"""
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>arn:aws:iam::{Account}:user/ci-deploy</Arn>
                <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
                <Account>{Account}</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>
            """, "text/xml", statusCode: 200);
    }

    private static IResult Error(int status, string code, string message) => Results.Text($"""
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
          <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
        </ErrorResponse>
        """, "text/xml", statusCode: status);

    private static string PathOf(string pathAndQuery) => pathAndQuery.Split('?')[0];

    /// <summary>Query parameters sorted by name, as SigV4 canonicalises them.</summary>
    private static string QueryOf(string pathAndQuery) => pathAndQuery.Contains('?')
        ? string.Join('&', pathAndQuery.Split('?', 2)[1].Split('&').Order(StringComparer.Ordinal))
        : "";

    private static string Collapse(string value) => Whitespace().Replace(value.Trim(), " ");

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<scope>[^,]+), ?SignedHeaders=(?<headers>[a-z0-9;-]+), ?Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
