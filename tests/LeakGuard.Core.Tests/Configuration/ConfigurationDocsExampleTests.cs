using LeakGuard.Core.Configuration;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Configuration;

/// <summary>The complete configuration example of docs/configuration.md stays valid as rules and the format change.</summary>
public sealed class ConfigurationDocsExampleTests : IDisposable
{
    private readonly string _dir = CoreTestKit.TempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_documented_example_is_valid_and_names_built_in_rules()
    {
        string yaml = ConfigurationDocsExample.Yaml();
        // The example's extra rule folder, relative to the file.
        Directory.CreateDirectory(Path.Join(_dir, "ci", "leakguard-rules"));

        var settings = ScanConfiguration.Parse(yaml, ".leakguard.yaml", _dir).ApplyTo(new ScanSettings());
        var rules = ScanSession.LoadRules(settings);

        Assert.NotEmpty(settings.DisabledRules);
        Assert.NotEmpty(settings.RuleOverrides);
        Assert.DoesNotContain(rules.All, r => settings.DisabledRules.Any(d => d.Selects(r)));
    }
}
