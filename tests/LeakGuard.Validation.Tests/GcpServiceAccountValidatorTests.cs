using System.Security.Cryptography;
using System.Text.Json;
using LeakGuard.Cli.Tests;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Validation.Tests;

/// <summary>GCP service-account keys validated by the OAuth JWT-bearer exchange, signed by Google's
/// library, against a fake token endpoint that checks the JWT's RS256 signature with the account's
/// public key as Google documents it.</summary>
public sealed class GcpServiceAccountValidatorTests : IAsyncLifetime
{
    private const string Email = "deployer@acme-prod-42.iam.gserviceaccount.com";
    private static readonly ValidatorSpec Spec = RuleLoader.LoadBuiltIn().Single(r => r.Id == "gcp.service-account-key").Validator!;

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private FakeProviders _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviders.StartAsync();
        _fake.Route("/token", (request, _) => FakeGoogleToken.Answer(request, new Dictionary<string, RSA> { [Email] = _key }));
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _key.Dispose();
        _otherKey.Dispose();
    }

    /// <summary>The private_key member as a key file holds it: PEM with its newlines escaped.</summary>
    private static string Escaped(RSA key) => key.ExportPkcs8PrivateKeyPem().ReplaceLineEndings("\\n") + "\\n";

    private Task<ValidationResult> Validate(string email, string privateKey) =>
        new GcpServiceAccountValidator(_fake.Endpoints, new ValidationLimits { MaxRetries = 1 }).ValidateAsync(Spec, email, privateKey, CancellationToken.None);

    [Fact]
    public async Task A_key_google_accepts_is_live_with_its_account_and_project()
    {
        var result = await Validate(Email, Escaped(_key));
        Assert.Equal($"live service_account={Email} project=acme-prod-42", result.Describe());
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Contains(Uri.EscapeDataString(FakeGoogleToken.JwtBearer), request.Body);
        // The key signs the assertion; it is never sent.
        Assert.DoesNotContain(Convert.ToBase64String(_key.ExportPkcs8PrivateKey())[..40], request.Everything);
    }

    [Fact]
    public async Task A_key_that_is_not_the_accounts_is_invalid()
    {
        var result = await Validate(Email, Escaped(_otherKey));
        Assert.Equal(ValidationStatus.Invalid, result.Status);
        Assert.Equal("Google invalid_grant", result.Message);
    }

    [Fact]
    public async Task An_unknown_account_is_invalid_and_a_key_that_cannot_be_read_is_not_sent()
    {
        Assert.Equal(ValidationStatus.Invalid, (await Validate("ghost@acme-prod-42.iam.gserviceaccount.com", Escaped(_key))).Status);
        var broken = await Validate(Email, "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n");
        Assert.Equal(ValidationStatus.Unknown, broken.Status);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_server_error_is_an_error_not_an_answer()
    {
        _fake.Route("/token", (_, _) => Microsoft.AspNetCore.Http.Results.StatusCode(503));
        var result = await Validate(Email, Escaped(_key));
        Assert.Equal(ValidationStatus.Error, result.Status);
    }

    [Fact]
    public async Task Scan_validate_pairs_the_key_with_the_client_email_of_its_key_file()
    {
        string dir = CliRunner.TempDirectory();
        File.WriteAllText(Path.Join(dir, "acme-prod-42-key.json"), $$"""
            {
              "type": "service_account",
              "project_id": "acme-prod-42",
              "private_key_id": "c90f32a581c45190853a56dc4e2544e2de56370d",
              "private_key": "{{Escaped(_key)}}",
              "client_email": "{{Email}}",
              "token_uri": "https://oauth2.googleapis.com/token"
            }
            """);
        var run = CliRunner.RunWithEnvironment(await _fake.ProcessEnvironmentAsync(), "scan", dir, "--validate", "--format", "json", "--no-progress");
        var finding = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("ruleId").GetString() == "gcp.service-account-key");
        var validation = finding.GetProperty("validation");
        Assert.Equal("live", validation.GetProperty("status").GetString());
        Assert.Equal(Email, validation.GetProperty("identity").GetProperty("service_account").GetString());
        Assert.Single(_fake.Requests);
        Directory.Delete(dir, recursive: true);
    }
}
