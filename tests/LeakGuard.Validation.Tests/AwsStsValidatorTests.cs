using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Cli.Tests;
using System.Text.Json;

namespace LeakGuard.Validation.Tests;

/// <summary>AWS key pairs validated with STS GetCallerIdentity, signed by the AWS SDK, against a fake
/// STS that checks the SigV4 signature as AWS documents it.</summary>
public sealed class AwsStsValidatorTests : IAsyncLifetime
{
    private const string KeyId = "AKIAZ5TQW3MHX7PLCV2N";
    private const string Secret = "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";
    private static readonly ValidatorSpec Spec = RuleLoader.LoadBuiltIn().Single(r => r.Id == "aws.secret-access-key").Validator!;

    private FakeProviders _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviders.StartAsync();
        _fake.Route("/", (request, _) => FakeSts.Answer(request, new Dictionary<string, string> { [KeyId] = Secret }));
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private Task<ValidationResult> Validate(string keyId, string secret) =>
        new AwsStsValidator(_fake.Endpoints, new ValidationLimits { MaxRetries = 1 }).ValidateAsync(Spec, keyId, secret, CancellationToken.None);

    [Fact]
    public async Task A_working_pair_is_live_with_its_account_and_arn()
    {
        var result = await Validate(KeyId, Secret);
        Assert.Equal($"live account={FakeSts.Account} arn=arn:aws:iam::{FakeSts.Account}:user/ci-deploy user_id=AIDACKCEVSQ6C2EXAMPLE", result.Describe());
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.DoesNotContain(Secret, request.Everything);
    }

    [Fact]
    public async Task A_wrong_secret_fails_the_signature_and_is_invalid()
    {
        var result = await Validate(KeyId, "x" + Secret[1..]);
        Assert.Equal((ValidationStatus.Invalid, "AWS SignatureDoesNotMatch"), (result.Status, result.Message));
    }

    [Fact]
    public async Task An_unknown_key_id_is_invalid()
    {
        var result = await Validate("AKIAZ5TQW3MHX7PLCV2Q", Secret);
        Assert.Equal((ValidationStatus.Invalid, "AWS InvalidClientTokenId"), (result.Status, result.Message));
    }

    [Fact]
    public async Task A_temporary_key_without_its_session_token_is_not_sent()
    {
        var result = await Validate("ASIAZ5TQW3MHX7PLCV2N", Secret);
        Assert.Equal(ValidationStatus.Unknown, result.Status);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Scan_validate_pairs_the_secret_with_the_key_id_in_the_same_file()
    {
        string dir = CliRunner.TempDirectory();
        File.WriteAllText(Path.Join(dir, "credentials.env"), $"AWS_ACCESS_KEY_ID={KeyId}\nAWS_SECRET_ACCESS_KEY={Secret}\n");
        File.WriteAllText(Path.Join(dir, "lonely.env"), $"AWS_SECRET_ACCESS_KEY=Zk3pQ9vT2mXw8LcR4nJh6bYs1aEu5GdF7iKo0tWq\n");
        var run = CliRunner.RunWithEnvironment(await _fake.ProcessEnvironmentAsync(), "scan", dir, "--validate", "--format", "json", "--no-progress");
        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("ruleId").GetString() == "aws.secret-access-key").ToList();
        var paired = Assert.Single(findings, f => f.GetProperty("location").GetProperty("path").GetString()!.EndsWith("credentials.env"));
        Assert.Equal("live", paired.GetProperty("validation").GetProperty("status").GetString());
        Assert.Equal(FakeSts.Account, paired.GetProperty("validation").GetProperty("identity").GetProperty("account").GetString());
        var lonely = Assert.Single(findings, f => f.GetProperty("location").GetProperty("path").GetString()!.EndsWith("lonely.env"));
        Assert.Equal("unknown", lonely.GetProperty("validation").GetProperty("status").GetString());
        Assert.Single(_fake.Requests);
        Directory.Delete(dir, recursive: true);
    }
}
