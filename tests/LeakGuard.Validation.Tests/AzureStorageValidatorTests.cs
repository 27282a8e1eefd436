using System.Security.Cryptography;
using System.Text.Json;
using LeakGuard.Cli.Tests;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;

namespace LeakGuard.Validation.Tests;

/// <summary>Azure storage account keys validated with Get Blob Service Properties, signed with
/// Shared Key by the Azure SDK, against a fake Blob service that checks the signature as Microsoft
/// documents it.</summary>
public sealed class AzureStorageValidatorTests : IAsyncLifetime
{
    private const string Account = "acmeprodlogs";
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private static readonly ValidatorSpec Spec = RuleLoader.LoadBuiltIn().Single(r => r.Id == "azure.storage-account-key").Validator!;

    private FakeProviders _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviders.StartAsync();
        _fake.Route(FakeAzureBlob.PropertiesPath, (request, _) => FakeAzureBlob.Answer(request, new Dictionary<string, string> { [Account] = Key }));
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private Task<ValidationResult> Validate(string account, string key) =>
        new AzureStorageValidator(_fake.Endpoints, new ValidationLimits { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(50) })
            .ValidateAsync(Spec, account, key, CancellationToken.None);

    [Fact]
    public async Task A_key_the_service_accepts_is_live_with_its_account()
    {
        var result = await Validate(Account, Key);
        Assert.Equal($"live account={Account}", result.Describe());
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("GET", request.Method);
        Assert.DoesNotContain(Key, request.Everything);
    }

    [Fact]
    public async Task A_rotated_key_is_invalid()
    {
        var result = await Validate(Account, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
        Assert.Equal(ValidationStatus.Invalid, result.Status);
        Assert.Equal("Azure AuthenticationFailed", result.Message);
    }

    [Fact]
    public async Task A_name_that_is_no_account_name_and_a_key_that_is_not_base64_are_not_sent()
    {
        Assert.Equal(ValidationStatus.Unknown, (await Validate("evil.example.com/", Key)).Status);
        Assert.Equal(ValidationStatus.Unknown, (await Validate(Account, "not base64!")).Status);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task A_server_error_is_retried_then_an_error()
    {
        _fake.Route(FakeAzureBlob.PropertiesPath, (_, _) => Microsoft.AspNetCore.Http.Results.StatusCode(503));
        var result = await Validate(Account, Key);
        Assert.Equal(ValidationStatus.Error, result.Status);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task Scan_validate_pairs_the_key_with_the_account_name_of_its_connection_string()
    {
        string dir = CliRunner.TempDirectory();
        File.WriteAllText(Path.Join(dir, "appsettings.json"), $$"""
            { "ConnectionStrings": { "Logs": "DefaultEndpointsProtocol=https;AccountName={{Account}};AccountKey={{Key}};EndpointSuffix=core.windows.net" } }
            """);
        var run = CliRunner.RunWithEnvironment(await _fake.ProcessEnvironmentAsync(), "scan", dir, "--validate", "--format", "json", "--no-progress");
        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var finding = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "azure.storage-account-key");
        // The account name it was paired with is a companion: used, never reported.
        Assert.DoesNotContain(findings, f => f.GetProperty("ruleId").GetString() == "azure.storage-account-name");
        var validation = finding.GetProperty("validation");
        Assert.Equal("live", validation.GetProperty("status").GetString());
        Assert.Equal(Account, validation.GetProperty("identity").GetProperty("account").GetString());
        Directory.Delete(dir, recursive: true);
    }
}
