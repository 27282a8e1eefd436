namespace LeakGuard.Core.Tests.Support;

/// <summary>
/// A real C# library in a git repository with a GitHub remote, packed by dotnet pack twice:
/// MIT-licensed with its PDB embedded in the DLL (DebugType embedded), and with no licence and a
/// standalone PDB in a .snupkg. Both embed all sources; the SDK adds Source Link. Built once for
/// all the tests that use it. The token sits on line 5 of Settings.cs.
/// </summary>
public sealed class DotNetArtefacts
{
    public DotNetArtefacts()
    {
        Directory = CoreTestKit.TempDirectory();
        Pack("embedded", "-p:DebugType=embedded", "-p:PackageLicenseExpression=MIT");
        Pack("symbols", "-p:DebugType=portable", "-p:IncludeSymbols=true", "-p:SymbolPackageFormat=snupkg");
    }

    /// <summary>Writes the project into its own repository under <paramref name="folder"/> (two
    /// builds of one project folder would share obj/) and packs it into the same folder.</summary>
    private void Pack(string folder, params string[] properties)
    {
        string project = Path.Join(Directory, folder, "Acme.Client");
        System.IO.Directory.CreateDirectory(project);
        File.WriteAllText(Path.Join(project, "Acme.Client.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>Acme.Client</PackageId>
                <Version>3.4.1</Version>
                <Authors>Acme</Authors>
                <EmbedAllSources>true</EmbedAllSources>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Join(project, "Settings.cs"),
            $"namespace Acme.Client;\n\npublic static class Settings\n{{\n    public const string Token = \"{CoreTestKit.GitHubToken}\";\n}}\n");
        CoreTestKit.Run(project, "git", "init", "-q", ".");
        CoreTestKit.Run(project, "git", "remote", "add", "origin", "https://github.com/acme/client.git");
        CoreTestKit.Run(project, "git", "add", "-A");
        CoreTestKit.Run(project, "git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-qm", "init");
        CoreTestKit.Run(project, "dotnet", ["pack", "-c", "Release", "--nologo", "-v", "q", "-o", Path.Join(Directory, folder), .. properties]);
    }

    public string Directory { get; }

    /// <summary>MIT, PDB embedded in lib/net10.0/Acme.Client.dll.</summary>
    public string EmbeddedPdbPackage => Path.Join(Directory, "embedded", "Acme.Client.3.4.1.nupkg");

    /// <summary>No licence; the PDB is lib/net10.0/Acme.Client.pdb in the symbol package.</summary>
    public string SymbolPackage => Path.Join(Directory, "symbols", "Acme.Client.3.4.1.snupkg");
}
