using LeakGuard.Core.Configuration;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Configuration;

/// <summary>The README's complete configuration example stays valid as rules and the format change.</summary>
public sealed class ReadmeExampleTests : IDisposable
{
    private readonly string _dir = CoreTestKit.TempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_readme_example_is_valid_and_names_built_in_rules()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Join(root, "LeakGuard.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no LeakGuard.sln above the test binaries");
        }
        string readme = File.ReadAllText(Path.Join(root, "README.md"));
        int section = readme.IndexOf("### Configuration file", StringComparison.Ordinal);
        Assert.True(section >= 0, "README has no 'Configuration file' section");
        int start = readme.IndexOf("```yaml\n", section, StringComparison.Ordinal) + "```yaml\n".Length;
        string yaml = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        // The example's extra rule folder, relative to the file.
        Directory.CreateDirectory(Path.Join(_dir, "ci", "leakguard-rules"));

        var settings = ScanConfiguration.Parse(yaml, ".leakguard.yaml", _dir).ApplyTo(new ScanSettings());
        var rules = ScanSession.LoadRules(settings);

        Assert.NotEmpty(settings.DisabledRules);
        Assert.NotEmpty(settings.RuleOverrides);
        Assert.DoesNotContain(rules.All, r => settings.DisabledRules.Any(d => d.Selects(r)));
    }
}
