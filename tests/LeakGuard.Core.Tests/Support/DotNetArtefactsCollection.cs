namespace LeakGuard.Core.Tests.Support;

/// <summary>The classes that read <see cref="DotNetArtefacts"/> share one build of it (two dotnet packs).</summary>
[CollectionDefinition(Name)]
public sealed class DotNetArtefactsCollection : ICollectionFixture<DotNetArtefacts>
{
    public const string Name = "dotnet pack artefacts";
}
