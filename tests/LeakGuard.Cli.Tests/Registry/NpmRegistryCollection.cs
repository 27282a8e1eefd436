namespace LeakGuard.Cli.Tests.Registry;

/// <summary>The test classes that share one Verdaccio with the published packages.</summary>
[CollectionDefinition(Name)]
public sealed class NpmRegistryCollection : ICollectionFixture<PublishedPackages>
{
    public const string Name = "npm registry";
}
