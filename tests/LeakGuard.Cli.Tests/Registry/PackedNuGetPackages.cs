namespace LeakGuard.Cli.Tests.Registry;

/// <summary><c>Acme.Client</c> packed by <c>dotnet pack</c> as 1.0.0 (clean) and 1.1.0 (a token
/// in its appsettings.json), served by a <see cref="NuGetFeedServer"/>.</summary>
public sealed class PackedNuGetPackages : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("leakguard-nuget-").FullName;

    public NuGetFeedServer Feed { get; } = new();

    public string CleanNupkg { get; }

    public string LeakyNupkg { get; }

    public PackedNuGetPackages()
    {
        string project = TinyDotnetProject.Create(Root, "Acme.Client", "{ \"greeting\": \"hello\" }\n");
        CleanNupkg = TinyDotnetProject.Pack(project, "1.0.0", Path.Join(Root, "out"));
        File.WriteAllText(Path.Join(Path.GetDirectoryName(project)!, "appsettings.json"), $"{{ \"token\": \"{PublishedPackages.Token}\" }}\n");
        LeakyNupkg = TinyDotnetProject.Pack(project, "1.1.0", Path.Join(Root, "out"));
        Feed.Add("Acme.Client", "1.0.0", CleanNupkg);
        Feed.Add("Acme.Client", "1.1.0", LeakyNupkg);
    }

    public void Dispose()
    {
        Feed.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
