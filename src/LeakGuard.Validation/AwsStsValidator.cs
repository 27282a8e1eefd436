using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Validation;

/// <summary>
/// An AWS key pair, validated the way AWS documents: STS <c>GetCallerIdentity</c>, which needs no
/// permission and changes nothing, signed with SigV4 by the AWS SDK (not by hand). Live reveals the
/// account, the ARN and the user id; a refused key id or signature is invalid.
/// </summary>
public sealed class AwsStsValidator(ValidationEndpoints endpoints, ValidationLimits limits, TimeProvider? time = null) : IPairValidator
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="half">The access key ID.</param>
    public async Task<ValidationResult> ValidateAsync(ValidatorSpec spec, string half, string secretKey, CancellationToken cancellation)
    {
        string accessKeyId = half;
        // A temporary key is refused without its session token, which is rarely beside it: no conclusion.
        if (!accessKeyId.StartsWith("AKIA", StringComparison.Ordinal))
        {
            return Result(ValidationStatus.Unknown, $"{accessKeyId[..4]} keys are temporary and need their session token");
        }
        var config = new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = endpoints.Resolve(spec.Url).ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = limits.MaxRetries,
            Timeout = limits.AttemptTimeout,
            HttpClientFactory = new Clients(endpoints),
        };
        using var client = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(accessKeyId, secretKey), config);
        try
        {
            var identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellation).ConfigureAwait(false);
            return Result(ValidationStatus.Live, "GetCallerIdentity") with
            {
                Identity = [KeyValuePair.Create("account", identity.Account), KeyValuePair.Create("arn", identity.Arn), KeyValuePair.Create("user_id", identity.UserId)],
            };
        }
        catch (AmazonServiceException e) when (e.ErrorCode is "InvalidClientTokenId" or "SignatureDoesNotMatch")
        {
            return Result(ValidationStatus.Invalid, $"AWS {e.ErrorCode}");
        }
        catch (AmazonServiceException e) when ((int)e.StatusCode >= 500)
        {
            return Result(ValidationStatus.Error, $"AWS HTTP {(int)e.StatusCode} after {limits.MaxRetries} retries");
        }
        catch (AmazonServiceException e)
        {
            return Result(ValidationStatus.Unknown, $"AWS {e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException
            || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            return Result(ValidationStatus.Error, e is OperationCanceledException
                ? $"no answer within {limits.AttemptTimeout.TotalSeconds:0.#} s"
                : $"request failed: {e.Message.Replace(secretKey, "[secret]", StringComparison.Ordinal)}");
        }
    }

    private ValidationResult Result(ValidationStatus status, string message) =>
        new() { Status = status, CheckedAt = _time.GetUtcNow(), Message = message };

    /// <summary>The SDK's requests go through the validators' client: no redirects, and the
    /// test-only certificate trusted only when the endpoints carry one.</summary>
    private sealed class Clients(ValidationEndpoints endpoints) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => HttpValidator.CreateClient(endpoints);

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}
