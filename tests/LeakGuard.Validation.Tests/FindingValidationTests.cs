using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using Microsoft.AspNetCore.Http;

namespace LeakGuard.Validation.Tests;

/// <summary>A scan's findings validated together: each distinct secret asked once, no more requests
/// at once per provider than its validator allows, and the answer changing what the finding says.</summary>
public sealed class FindingValidationTests : IAsyncLifetime
{
    private FakeProviders _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeProviders.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static Rule RuleWith(string validate) => RuleLoader.Parse($$"""
        rules:
          - id: test.token
            name: Test token
            kind: secret
            severity: medium
            pattern: '\b(tok_[a-z0-9]{8})\b'
            keywords: [tok_]
            validate:
        {{string.Join('\n', validate.Split('\n').Select(l => "      " + l))}}
            examples: ['tok_abcdefgh']
            negative_examples: ['tok_short']
        """, "test.yaml")[0];

    private static Finding FindingOf(Rule rule, string digest, string path) => new()
    {
        RuleId = rule.Id, Kind = FindingKind.Secret, Severity = rule.Severity, Confidence = Confidence.Medium, Title = rule.Name,
        Location = new Location { Path = path }, Secret = "tok_…", SecretDigest = digest, Fingerprint = $"{digest}-{path}",
    };

    private async Task<IReadOnlyList<Finding>> Validate(IReadOnlyList<Finding> findings, SecretVault vault)
    {
        using var client = HttpValidator.CreateClient(_fake.Endpoints);
        var validation = new FindingValidation(new HttpValidator(client, _fake.Endpoints, new ValidationLimits()));
        return await validation.ApplyAsync(findings, vault, CancellationToken.None);
    }

    [Fact]
    public async Task A_secret_found_in_many_places_is_asked_once_and_live_raises_the_finding()
    {
        var rule = RuleWith("url: 'https://api.example.com/check?key={{secret}}'\nidentity: {team: team}");
        _fake.Route("/check?key=tok_live0001", (_, _) => Results.Json(new { team = "Acme" }));
        var vault = new SecretVault([rule]);
        vault.Keep(rule, "d1", "tok_live0001");
        var findings = await Validate([FindingOf(rule, "d1", "a.env"), FindingOf(rule, "d1", "b.env"), FindingOf(rule, "d1", "c.env")], vault);
        Assert.Single(_fake.Requests);
        Assert.All(findings, f =>
        {
            Assert.Equal("live team=Acme", f.Validation!.Describe());
            Assert.Equal((Severity.High, Confidence.High), (f.Severity, f.Confidence));
        });
    }

    [Fact]
    public async Task An_invalid_secret_lowers_confidence_and_an_unknown_one_changes_nothing()
    {
        var rule = RuleWith("url: 'https://api.example.com/check?key={{secret}}'");
        _fake.Route("/check?key=tok_dead0001", (_, _) => Results.StatusCode(401));
        _fake.Route("/check?key=tok_odd00001", (_, _) => Results.StatusCode(418));
        var vault = new SecretVault([rule]);
        vault.Keep(rule, "dead", "tok_dead0001");
        vault.Keep(rule, "odd", "tok_odd00001");
        var findings = await Validate([FindingOf(rule, "dead", "a.env"), FindingOf(rule, "odd", "a.env")], vault);
        Assert.Equal((ValidationStatus.Invalid, Confidence.Low, Severity.Medium), (findings[0].Validation!.Status, findings[0].Confidence, findings[0].Severity));
        Assert.Equal((ValidationStatus.Unknown, Confidence.Medium, Severity.Medium), (findings[1].Validation!.Status, findings[1].Confidence, findings[1].Severity));
    }

    [Fact]
    public async Task A_finding_whose_secret_was_not_kept_is_not_validated()
    {
        var rule = RuleWith("url: 'https://api.example.com/check?key={{secret}}'");
        var finding = FindingOf(rule, "never-kept", "a.env");
        var findings = await Validate([finding], new SecretVault([rule]));
        Assert.Same(finding, Assert.Single(findings));
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task No_more_requests_at_once_to_one_provider_than_its_validator_allows()
    {
        var rule = RuleWith("url: 'https://api.example.com/check?key={{secret}}'\nconcurrency: 2");
        int inFlight = 0, most = 0;
        var vault = new SecretVault([rule]);
        var findings = new List<Finding>();
        for (int i = 0; i < 8; i++)
        {
            string secret = $"tok_conc000{i}";
            vault.Keep(rule, $"d{i}", secret);
            findings.Add(FindingOf(rule, $"d{i}", "a.env"));
            _fake.Route($"/check?key={secret}", (_, _) => new Counted(() =>
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
            }, () => Interlocked.Decrement(ref inFlight)));
        }
        var validated = await Validate(findings, vault);
        Assert.All(validated, f => Assert.Equal(ValidationStatus.Live, f.Validation!.Status));
        Assert.Equal(8, _fake.Requests.Count);
        Assert.InRange(most, 1, 2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>Holds each request long enough for others to overlap it if the client allowed.</summary>
    private sealed class Counted(Action enter, Action leave) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            enter();
            try
            {
                await Task.Delay(200, context.RequestAborted);
            }
            finally
            {
                leave();
            }
            await Results.Json(new { ok = true }).ExecuteAsync(context);
        }
    }
}
