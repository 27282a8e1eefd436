using System.Text.RegularExpressions;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Validation;

/// <summary>
/// An Azure storage account key (paired with the <c>AccountName</c> beside it), validated with the
/// Blob service's "Get Blob Service Properties", a read that changes nothing, signed with Shared Key
/// by the Azure SDK. The request goes to <c>https://ACCOUNT.blob.core.windows.net/</c>: the rule's
/// URL names the service host and the account name, checked to be one, becomes its first label.
/// Live reveals the account; <c>AuthenticationFailed</c> (a rotated key, a key of another account)
/// is invalid.
/// </summary>
public sealed partial class AzureStorageValidator(ValidationEndpoints endpoints, ValidationLimits limits, TimeProvider? time = null) : IPairValidator
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="half">The storage account name.</param>
    public async Task<ValidationResult> ValidateAsync(ValidatorSpec spec, string half, string secret, CancellationToken cancellation)
    {
        string account = half.ToLowerInvariant();
        if (!AccountName().IsMatch(account))
        {
            return Result(ValidationStatus.Unknown, "not a storage account name");
        }
        if (!IsBase64(secret))
        {
            return Result(ValidationStatus.Unknown, "the key is not base64");
        }
        var service = endpoints.Resolve(new UriBuilder(spec.Url) { Host = $"{account}.{spec.Url.Host}", Path = "/", Query = "" }.Uri);
        using var client = HttpValidator.CreateClient(endpoints);
        var options = new BlobClientOptions
        {
            Transport = new HttpClientTransport(client),
            Retry = { MaxRetries = limits.MaxRetries, NetworkTimeout = limits.AttemptTimeout, Delay = limits.RetryDelay },
        };
        var blobs = new BlobServiceClient(service, new StorageSharedKeyCredential(account, secret), options);
        try
        {
            await blobs.GetPropertiesAsync(cancellation).ConfigureAwait(false);
            return Result(ValidationStatus.Live, "Get Blob Service Properties") with { Identity = [KeyValuePair.Create("account", account)] };
        }
        catch (RequestFailedException e) when (e.Status == 403 && e.ErrorCode == "AuthenticationFailed")
        {
            return Result(ValidationStatus.Invalid, "Azure AuthenticationFailed");
        }
        catch (RequestFailedException e) when (e.Status >= 500)
        {
            return Result(ValidationStatus.Error, $"Azure HTTP {e.Status} after {limits.MaxRetries} retries");
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            return Result(ValidationStatus.Error, $"request failed: {e.Message.Split('\n')[0]}");
        }
        catch (RequestFailedException e)
        {
            return Result(ValidationStatus.Unknown, $"Azure HTTP {e.Status}{(e.ErrorCode is { } code ? $": {code}" : "")}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or AggregateException
            || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            return Result(ValidationStatus.Error, e is OperationCanceledException
                ? $"no answer within {limits.AttemptTimeout.TotalSeconds:0.#} s"
                : $"request failed: {e.Message.Split('\n')[0]}");
        }
    }

    private static bool IsBase64(string value)
    {
        Span<byte> bytes = stackalloc byte[value.Length];
        return Convert.TryFromBase64String(value, bytes, out int written) && written > 0;
    }

    private ValidationResult Result(ValidationStatus status, string message) =>
        new() { Status = status, CheckedAt = _time.GetUtcNow(), Message = message };

    /// <summary>Storage account names: 3 to 24 lower-case letters and digits.</summary>
    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountName();
}
