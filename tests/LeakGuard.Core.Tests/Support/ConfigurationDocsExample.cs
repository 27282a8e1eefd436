namespace LeakGuard.Core.Tests.Support;

/// <summary>The complete `.leakguard.yaml` example in docs/configuration.md: the file people copy, so
/// tests hold it valid as rules and the format change.</summary>
internal static class ConfigurationDocsExample
{
    public static string Yaml()
    {
        string root = CoreTestKit.RepositoryRoot();
        string page = File.ReadAllText(Path.Join(root, "docs", "configuration.md"));
        int start = page.IndexOf("```yaml\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/configuration.md has no yaml example");
        start += "```yaml\n".Length;
        return page[start..page.IndexOf("```", start, StringComparison.Ordinal)];
    }
}
