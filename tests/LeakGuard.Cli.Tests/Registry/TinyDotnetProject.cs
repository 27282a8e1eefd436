namespace LeakGuard.Cli.Tests.Registry;

/// <summary>A real one-class C# library that <c>dotnet pack</c> turns into a real .nupkg; its
/// appsettings.json ships as a content file, so a secret in it ships too.</summary>
internal static class TinyDotnetProject
{
    public static string Create(string parent, string id, string appSettings)
    {
        string dir = Path.Join(parent, id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Join(dir, $"{id}.csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>{{id}}</PackageId>
                <Authors>LeakGuard tests</Authors>
                <Description>A package made by a LeakGuard test.</Description>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <NoWarn>$(NoWarn);NU5100;NU5128</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <None Include="appsettings.json" Pack="true" PackagePath="contentFiles/any/any/" />
              </ItemGroup>
            </Project>
            """);
        // Keeps the repository's Directory.*.props out when the temp folder sits under it.
        File.WriteAllText(Path.Join(dir, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Join(dir, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Join(dir, "Greeter.cs"), "namespace Tiny;\npublic static class Greeter { public static string Hello() => \"hello\"; }\n");
        File.WriteAllText(Path.Join(dir, "appsettings.json"), appSettings);
        return Path.Join(dir, $"{id}.csproj");
    }

    /// <summary>Packs <paramref name="project"/> at <paramref name="version"/> and returns the .nupkg path.</summary>
    public static string Pack(string project, string version, string outputDirectory)
    {
        ExternalTool.Run(Path.GetDirectoryName(project)!, "dotnet", "pack", project, "-c", "Release", "-o", outputDirectory,
            $"-p:Version={version}", "--nologo", "-v", "q");
        return Directory.GetFiles(outputDirectory, $"*.{version}.nupkg").Single();
    }
}
