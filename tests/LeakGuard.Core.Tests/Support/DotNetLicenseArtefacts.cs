namespace LeakGuard.Core.Tests.Support;

/// <summary>
/// Acme.Licensed, a real library packed by dotnet pack with an authored Settings.cs and its PDB
/// embedded with all sources, whose licence is a file in the package (&lt;license
/// type="file"&gt;LICENSE.txt): built once, packed once per licence text — MIT, a proprietary
/// notice, and a licence no one has heard of.
/// </summary>
public sealed class DotNetLicenseArtefacts
{
    public const string MitText = """
        MIT License

        Copyright (c) 2025 Acme

        Permission is hereby granted, free of charge, to any person obtaining a copy
        of this software and associated documentation files (the "Software"), to deal
        in the Software without restriction, including without limitation the rights
        to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
        copies of the Software, and to permit persons to whom the Software is
        furnished to do so, subject to the following conditions:

        The above copyright notice and this permission notice shall be included in all
        copies or substantial portions of the Software.

        THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
        """;

    public const string ProprietaryText = """
        Copyright (c) 2025 Acme Corporation. All rights reserved.

        This software and its documentation are confidential and may not be copied,
        modified or distributed without a written agreement with Acme Corporation.
        """;

    public const string UnheardOfText = """
        The Acme Friendly Terms, version 1

        You may use this library in any program that greets its users politely.
        """;

    public DotNetLicenseArtefacts()
    {
        Directory = CoreTestKit.TempDirectory();
        string licensed = Path.Join(Directory, "Acme.Licensed");
        System.IO.Directory.CreateDirectory(licensed);
        File.WriteAllText(Path.Join(licensed, "Acme.Licensed.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>Acme.Licensed</PackageId>
                <Version>3.4.1</Version>
                <Authors>Acme</Authors>
                <DebugType>embedded</DebugType>
                <EmbedAllSources>true</EmbedAllSources>
                <PackageLicenseFile>LICENSE.txt</PackageLicenseFile>
              </PropertyGroup>
              <ItemGroup>
                <None Include="LICENSE.txt" Pack="true" PackagePath="" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Join(licensed, "Settings.cs"),
            $"namespace Acme.Licensed;\n\npublic static class Settings\n{{\n    public const string Endpoint = \"https://api.acme.example\";\n}}\n");
        bool built = false;
        foreach (var (folder, text) in new[] { ("mit", MitText), ("proprietary", ProprietaryText), ("unheard-of", UnheardOfText) })
        {
            File.WriteAllText(Path.Join(licensed, "LICENSE.txt"), text);
            string[] buildOnce = built ? ["--no-build"] : [];
            CoreTestKit.Run(licensed, "dotnet", ["pack", "-c", "Release", "--nologo", "-v", "q", "-o", Path.Join(Directory, folder), .. buildOnce]);
            built = true;
        }
    }

    public string Directory { get; }

    /// <summary>Acme.Licensed packed with the licence text of <paramref name="licence"/>: "mit",
    /// "proprietary" or "unheard-of".</summary>
    public string LicensedPackage(string licence) => Path.Join(Directory, licence, "Acme.Licensed.3.4.1.nupkg");
}
