using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LeakGuard.Core;

namespace LeakGuard.Validation;

/// <summary>
/// Where validators send secrets: each to its own provider's fixed HTTPS endpoint. The only way to
/// change that is for tests: <c>LEAKGUARD_TEST_ONLY_VALIDATION_ENDPOINT</c> (an https:// origin that
/// replaces every validator's scheme, host and port, keeping the path) and
/// <c>LEAKGUARD_TEST_ONLY_VALIDATION_CA</c> (a PEM certificate trusted for that endpoint alone).
/// </summary>
public sealed record ValidationEndpoints
{
    public const string EndpointVariable = "LEAKGUARD_TEST_ONLY_VALIDATION_ENDPOINT";
    public const string CertificateVariable = "LEAKGUARD_TEST_ONLY_VALIDATION_CA";

    /// <summary>The providers' own endpoints.</summary>
    public static ValidationEndpoints Providers { get; } = new();

    /// <summary>Sends every request to this origin instead (tests only).</summary>
    public Uri? Override { get; init; }

    /// <summary>A certificate the override's server presents, trusted for it alone (tests only).</summary>
    public X509Certificate2? TrustedCertificate { get; init; }

    /// <summary>The providers' endpoints, unless the test-only variables are set.</summary>
    /// <exception cref="UsageException">The override is not an https:// origin, or its certificate cannot be read.</exception>
    public static ValidationEndpoints FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(EndpointVariable) is not { Length: > 0 } origin)
        {
            return Providers;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException($"{EndpointVariable} must be an https:// origin, not '{origin}'");
        }
        if (Environment.GetEnvironmentVariable(CertificateVariable) is not { Length: > 0 } pem)
        {
            return new ValidationEndpoints { Override = uri };
        }
        try
        {
            return new ValidationEndpoints { Override = uri, TrustedCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(pem)) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"{CertificateVariable}: {e.Message}");
        }
    }

    /// <summary>The URL a validator's request goes to.</summary>
    public Uri Resolve(Uri url) => Override is null
        ? url
        : new UriBuilder(url) { Scheme = Override.Scheme, Host = Override.Host, Port = Override.Port }.Uri;
}
