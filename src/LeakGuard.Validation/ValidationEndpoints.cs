using System.Security.Cryptography.X509Certificates;

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
    /// <exception cref="ArgumentException">The override is not an https:// origin.</exception>
    public static ValidationEndpoints FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(EndpointVariable) is not { Length: > 0 } origin)
        {
            return Providers;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{EndpointVariable} must be an https:// origin, not '{origin}'");
        }
        var certificate = Environment.GetEnvironmentVariable(CertificateVariable) is { Length: > 0 } pem
            ? X509Certificate2.CreateFromPemFile(pem)
            : null;
        return new ValidationEndpoints { Override = uri, TrustedCertificate = certificate };
    }

    /// <summary>The URL a validator's request goes to.</summary>
    public Uri Resolve(Uri url) => Override is null
        ? url
        : new UriBuilder(url) { Scheme = Override.Scheme, Host = Override.Host, Port = Override.Port }.Uri;
}
