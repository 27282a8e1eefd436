namespace LeakGuard.Core.Tests.Support;

/// <summary>
/// A small TypeScript CLI (two first-party modules and one bundled dependency) built for real:
/// bundled by esbuild (installed by tests/setup/artefacts.sh) and packed by npm pack. The token
/// sits on line 3 of src/main.ts.
/// </summary>
internal sealed class NpmArtefact
{
    public required string Directory { get; init; }

    /// <summary>The project folder, with package.json, src/ and node_modules/.</summary>
    public required string Project { get; init; }

    public static string EsbuildPath =>
        Path.Join(Environment.GetEnvironmentVariable("LEAKGUARD_TEST_TOOLS") is { Length: > 0 } tools ? tools : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "leakguard-test-tools"),
            "node_modules", ".bin", "esbuild");

    /// <summary>Writes the project; <paramref name="manifestFields"/> is the licence part of
    /// package.json, e.g. <c>"license": "MIT"</c>.</summary>
    public static NpmArtefact Create(string manifestFields, string projectFolder = "package")
    {
        string dir = CoreTestKit.TempDirectory();
        string project = Path.Join(dir, projectFolder);
        System.IO.Directory.CreateDirectory(Path.Join(project, "src"));
        System.IO.Directory.CreateDirectory(Path.Join(project, "node_modules", "tiny-pad"));
        File.WriteAllText(Path.Join(project, "package.json"), $$"""{ "name": "@acme/cli", "version": "2.1.0", "bin": "dist/cli.js", {{manifestFields}} }""");
        File.WriteAllText(Path.Join(project, "src", "util.ts"), "export function pad(s: string, n: number): string {\n  return s.padStart(n);\n}\n");
        File.WriteAllText(Path.Join(project, "src", "main.ts"),
            $"import {{ pad }} from \"./util\";\nimport tinyPad from \"tiny-pad\";\nconst token = \"{CoreTestKit.GitHubToken}\";\nconsole.log(pad(tinyPad(token), 4));\n");
        File.WriteAllText(Path.Join(project, "node_modules", "tiny-pad", "index.js"), "module.exports = function (s) { return \" \" + s; };\n");
        File.WriteAllText(Path.Join(project, "node_modules", "tiny-pad", "package.json"), """{ "name": "tiny-pad", "version": "1.0.0", "main": "index.js", "license": "MIT" }""");
        return new NpmArtefact { Directory = dir, Project = project };
    }

    /// <summary>Bundles src/main.ts into dist/cli.js with esbuild's <paramref name="flags"/>
    /// (e.g. --sourcemap, --sourcemap=inline, --sources-content=false).</summary>
    public NpmArtefact Bundle(params string[] flags)
    {
        Assert.True(File.Exists(EsbuildPath), $"{EsbuildPath} is missing: run tests/setup/artefacts.sh (./test does)");
        CoreTestKit.Run(Project, EsbuildPath, ["src/main.ts", "--bundle", "--platform=node", "--log-level=warning", "--outfile=dist/cli.js", .. flags]);
        return this;
    }

    /// <summary>Bundles src/main.ts into <paramref name="outfile"/> (relative to the project), e.g.
    /// an ES-module build in dist/esm/ beside its {"type": "module"} stub manifest.</summary>
    public NpmArtefact BundleTo(string outfile, params string[] flags)
    {
        Assert.True(File.Exists(EsbuildPath), $"{EsbuildPath} is missing: run tests/setup/artefacts.sh (./test does)");
        CoreTestKit.Run(Project, EsbuildPath, ["src/main.ts", "--bundle", "--platform=node", "--log-level=warning", $"--outfile={outfile}", .. flags]);
        return this;
    }

    /// <summary>Writes a file of the project (a nested manifest, a licence text).</summary>
    public NpmArtefact Write(string relativePath, string content)
    {
        string path = Path.Join(Project, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    /// <summary>Installs <paramref name="tarball"/> with npm install into a new project whose
    /// package.json is <paramref name="consumerManifest"/>, as a node_modules folder on disk is
    /// made (offline: the package has no dependencies). Returns the project folder.</summary>
    public string InstallInto(string tarball, string consumerManifest)
    {
        string consumer = Path.Join(Directory, "consumer");
        System.IO.Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Join(consumer, "package.json"), consumerManifest);
        CoreTestKit.Run(consumer, "npm", "install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--silent", "--cache", Path.Join(Directory, "npm-cache"), tarball);
        return consumer;
    }

    /// <summary>Runs npm pack and returns the tarball's path.</summary>
    public string Pack()
    {
        CoreTestKit.Run(Project, "npm", "pack", "--silent", "--ignore-scripts", "--cache", Path.Join(Directory, "npm-cache"));
        return Path.Join(Project, "acme-cli-2.1.0.tgz");
    }
}
