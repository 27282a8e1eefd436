using System.Text;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>
/// Companion rules find what a validator pairs with a secret (a Twilio Account SID, a storage
/// account name, a service account's email): identifiers, not leaks. A scan reports the secret and
/// never the companion, unless validation asks to keep it for pairing.
/// </summary>
public sealed class CompanionRulesTests : IClassFixture<BuiltInRulesSession>
{
    private const string Env = "TWILIO_ACCOUNT_SID=AC5fc467fe93e81dd58a0c1f9a51bb5d9f\nTWILIO_AUTH_TOKEN=697f0603577aa6c55e0d19d3572186e5\n";

    private readonly BuiltInRulesSession _builtIn;

    public CompanionRulesTests(BuiltInRulesSession fixture) => _builtIn = fixture;

    [Fact]
    public void A_scan_reports_the_secret_and_not_its_companion()
    {
        var rules = _builtIn.Scan(".env", Env).Select(f => f.RuleId).ToList();
        Assert.Contains("twilio.auth-token", rules);
        Assert.DoesNotContain("twilio.account-sid", rules);
    }

    [Fact]
    public void Validation_keeps_the_companion_to_pair_it()
    {
        var item = SourceItem.InMemory(new Blob { Path = ".env", Content = Encoding.UTF8.GetBytes(Env) });
        var found = _builtIn.Session.Scan([item], keepCompanions: true).Result.Findings;
        Assert.Contains(found, f => f.RuleId == "twilio.account-sid");
        Assert.DoesNotContain(CompanionRules.Drop(found, _builtIn.Session.Rules), f => f.RuleId == "twilio.account-sid");
    }
}
