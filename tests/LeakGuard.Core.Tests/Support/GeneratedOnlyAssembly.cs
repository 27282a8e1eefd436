namespace LeakGuard.Core.Tests.Support;

/// <summary>
/// Acme.Generated, a real library without one source file of its own and no licence, built and
/// packed by dotnet pack with its PDB embedded with all sources: the PDB holds only what the SDK
/// writes into obj/ (assembly info, assembly attributes, global usings).
/// </summary>
public sealed class GeneratedOnlyAssembly
{
    public GeneratedOnlyAssembly()
    {
        Directory = CoreTestKit.TempDirectory();
        string project = Path.Join(Directory, "Acme.Generated");
        System.IO.Directory.CreateDirectory(project);
        File.WriteAllText(Path.Join(project, "Acme.Generated.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <PackageId>Acme.Generated</PackageId>
                <Version>1.0.0</Version>
                <Authors>Acme</Authors>
                <DebugType>embedded</DebugType>
                <EmbedAllSources>true</EmbedAllSources>
              </PropertyGroup>
            </Project>
            """);
        CoreTestKit.Run(project, "dotnet", "pack", "-c", "Release", "--nologo", "-v", "q", "-o", Path.Join(Directory, "packed"));
        Dll = Path.Join(project, "bin", "Release", "net10.0", "Acme.Generated.dll");
    }

    public string Directory { get; }

    /// <summary>No licence; lib/net10.0/Acme.Generated.dll embeds its PDB.</summary>
    public string Package => Path.Join(Directory, "packed", "Acme.Generated.1.0.0.nupkg");

    /// <summary>The same DLL as built, in bin/: no manifest anywhere near it.</summary>
    public string Dll { get; }
}
