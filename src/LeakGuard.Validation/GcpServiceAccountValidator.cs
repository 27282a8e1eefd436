using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Validation;

/// <summary>
/// A GCP service-account key (the <c>private_key</c> of a JSON key file, paired with the
/// <c>client_email</c> beside it), validated the way Google documents for service accounts: a JWT
/// signed with the key is exchanged at the OAuth token endpoint for an access token
/// (<c>urn:ietf:params:oauth:grant-type:jwt-bearer</c>). Google's own library signs and sends it;
/// the token it returns is dropped unused, so nothing at Google is read or changed. Live reveals
/// the service account and its project; <c>invalid_grant</c> (a deleted key, a deleted or unknown
/// account, a signature Google cannot check) is invalid.
/// </summary>
public sealed class GcpServiceAccountValidator(ValidationEndpoints endpoints, ValidationLimits limits, TimeProvider? time = null) : IPairValidator
{
    /// <summary>The narrowest scope there is for a token nobody uses.</summary>
    private const string Scope = "https://www.googleapis.com/auth/cloud-platform.read-only";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="email">The service account's <c>client_email</c>.</param>
    /// <param name="privateKey">The PEM private key, with the JSON file's <c>\n</c> escapes as found.</param>
    public async Task<ValidationResult> ValidateAsync(ValidatorSpec spec, string email, string privateKey, CancellationToken cancellation)
    {
        string pem = privateKey.Replace("\\n", "\n", StringComparison.Ordinal);
        if (!pem.Contains("-----END", StringComparison.Ordinal))
        {
            // The rule's secret is the key up to its end line; a key cut short fails to read below.
            string type = pem.StartsWith("-----BEGIN RSA", StringComparison.Ordinal) ? "RSA PRIVATE KEY" : "PRIVATE KEY";
            pem = $"{pem.TrimEnd()}\n-----END {type}-----\n";
        }
        ServiceAccountCredential credential;
        try
        {
            credential = new ServiceAccountCredential(new ServiceAccountCredential.Initializer(email, endpoints.Resolve(spec.Url).ToString())
            {
                Scopes = [Scope],
                HttpClientFactory = new Clients(endpoints),
                // Retries are the validators' own policy (a 429 or 5xx is unknown or error), not the library's.
                DefaultExponentialBackOffPolicy = Google.Apis.Http.ExponentialBackOffPolicy.None,
            }.FromPrivateKey(pem));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or IndexOutOfRangeException
            or System.Security.Cryptography.CryptographicException)
        {
            // A key cut short or damaged: the library's own PKCS#8 reader refuses it; nothing is sent.
            return Result(ValidationStatus.Unknown, "the private key cannot be read");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(limits.AttemptTimeout);
        try
        {
            await credential.RequestAccessTokenAsync(timeout.Token).ConfigureAwait(false);
            string project = email[(email.IndexOf('@') + 1)..].Split('.')[0];
            return Result(ValidationStatus.Live, "OAuth token exchange") with
            {
                Identity = [KeyValuePair.Create("service_account", email), KeyValuePair.Create("project", project)],
            };
        }
        catch (TokenResponseException e) when (e.Error?.Error is "invalid_grant" or "invalid_client" or "unauthorized_client")
        {
            return Result(ValidationStatus.Invalid, $"Google {e.Error.Error}");
        }
        catch (TokenResponseException e) when ((int?)e.StatusCode >= 500)
        {
            return Result(ValidationStatus.Error, $"Google HTTP {(int)e.StatusCode!}");
        }
        catch (TokenResponseException e)
        {
            return Result(ValidationStatus.Unknown, e.StatusCode is { } status ? $"Google HTTP {(int)status}: {e.Error?.Error}" : $"Google {e.Error?.Error}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            return Result(ValidationStatus.Error, e is OperationCanceledException
                ? $"no answer within {limits.AttemptTimeout.TotalSeconds:0.#} s"
                : $"request failed: {e.Message}");
        }
        catch (NullReferenceException)
        {
            // The library fails so on an error answer without Google's JSON body (a bare 5xx from a proxy).
            return Result(ValidationStatus.Error, "no usable answer from Google");
        }
    }

    private ValidationResult Result(ValidationStatus status, string message) =>
        new() { Status = status, CheckedAt = _time.GetUtcNow(), Message = message };

    /// <summary>The library's requests go through the validators' handler: no redirects, and the
    /// test-only certificate trusted only when the endpoints carry one.</summary>
    private sealed class Clients(ValidationEndpoints endpoints) : HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => HttpValidator.CreateHandler(endpoints);
    }
}
