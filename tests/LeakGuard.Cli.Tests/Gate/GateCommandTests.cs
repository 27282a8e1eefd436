using System.Text.Json;
using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests.Gate;

public class GateCommandTests
{
    private const string Token = PublishedPackages.Token;

    private readonly string _dir = CliRunner.TempDirectory();

    private CliRunner.Outcome Gate(params string[] args) => CliRunner.Run(["gate", .. args, .. TestRules.Options(_dir, TestRules.GitHub)]);

    /// <summary>A package whose <c>files</c> field ships dist/ only, where dist/.npmignore keeps
    /// one file out; every file holds the token, so each finding is a file npm would ship.</summary>
    private string NpmPackage()
    {
        string package = Path.Join(_dir, "pkg");
        Directory.CreateDirectory(Path.Join(package, "dist"));
        Directory.CreateDirectory(Path.Join(package, "src"));
        File.WriteAllText(Path.Join(package, "package.json"), """{ "name": "gated", "version": "1.2.3", "files": ["dist"] }""");
        File.WriteAllText(Path.Join(package, "dist", ".npmignore"), "*.local.js\n");
        File.WriteAllText(Path.Join(package, "dist", "index.js"), "module.exports = 1;\n");
        File.WriteAllText(Path.Join(package, "dist", "leak.js"), $"exports.token = \"{Token}\";\n");
        File.WriteAllText(Path.Join(package, "dist", "dev.local.js"), $"exports.token = \"{Token}\";\n");
        File.WriteAllText(Path.Join(package, "src", "dev.js"), $"exports.token = \"{Token}\";\n");
        File.WriteAllText(Path.Join(package, "README.md"), $"token {Token}\n");
        return package;
    }

    private List<string> FindingPaths(string report)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return [.. doc.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("location").GetProperty("path").GetString()!.Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void Gate_npm_scans_exactly_the_files_npm_would_publish()
    {
        string package = NpmPackage();
        string report = Path.Join(_dir, "npm.json");
        var run = Gate("npm", package, "--format", "json", "--output", report);
        Assert.Equal(1, run.ExitCode);
        // README.md always ships; dist/dev.local.js (.npmignore) and src/ (not in "files") do not.
        Assert.Equal([$"{package}/README.md", $"{package}/dist/leak.js"], FindingPaths(report));
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(4, doc.RootElement.GetProperty("stats").GetProperty("blobs").GetInt64()); // package.json, README.md, index.js, leak.js
        Assert.Contains("npm would ship 4 files", doc.RootElement.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        var location = doc.RootElement.GetProperty("findings")[0].GetProperty("location");
        Assert.Equal("gated", location.GetProperty("package").GetString());
        Assert.Equal("1.2.3", location.GetProperty("version").GetString());
    }

    [Fact]
    public void Gate_npm_passes_a_clean_package_and_honours_fail_on()
    {
        string package = NpmPackage();
        File.Delete(Path.Join(package, "dist", "leak.js"));
        File.WriteAllText(Path.Join(package, "README.md"), "nothing here\n");
        Assert.Equal(0, Gate("npm", package).ExitCode);
        File.WriteAllText(Path.Join(package, "dist", "leak.js"), $"exports.token = \"{Token}\";\n");
        Assert.Equal(1, Gate("npm", package, "--fail-on", "critical").ExitCode);
    }

    [Fact]
    public void Gate_takes_the_scan_limits_and_they_mean_what_they_mean_for_scan()
    {
        string package = NpmPackage();

        var limited = Gate("npm", package, "--max-file-size", "16", "--threads", "1");

        // Every shipped file is larger than 16 bytes: nothing is scanned, each skip is a warning.
        Assert.Equal(0, limited.ExitCode);
        Assert.Contains("larger than --max-file-size (16 bytes)", limited.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Gate("npm", package, "--threads", "1").ExitCode);
    }

    [Fact]
    public void Gate_npm_takes_leakguard_yaml_from_the_package_folder()
    {
        string package = NpmPackage();
        File.WriteAllText(Path.Join(package, ".leakguard.yaml"), "exclude: [README.md]\n");
        string report = Path.Join(_dir, "configured.json");
        var run = Gate("npm", package, "--format", "json", "--output", report);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"{package}/dist/leak.js"], FindingPaths(report));
    }

    [Fact]
    public void Gate_nuget_applies_the_config_files_exclude_to_package_members()
    {
        string project = TinyDotnetProject.Create(_dir, "Acme.Excluded", $"{{ \"token\": \"{Token}\" }}\n");
        string config = Path.Join(_dir, "gate.yaml");
        File.WriteAllText(config, "exclude: ['contentFiles/**']\n");
        var run = Gate("nuget", project, "--config", config);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Gate_npm_on_a_folder_without_package_json_is_a_usage_error()
    {
        var run = Gate("npm", _dir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no package.json", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_nuget_packs_the_project_and_scans_the_package_it_would_ship()
    {
        string project = TinyDotnetProject.Create(_dir, "Acme.Gated", $"{{ \"token\": \"{Token}\" }}\n");
        string report = Path.Join(_dir, "nuget.json");
        var run = Gate("nuget", project, "--format", "json", "--output", report);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Acme.Gated.1.0.0.nupkg!contentFiles/any/any/appsettings.json"], FindingPaths(report));
    }

    [Fact]
    public void Gate_nuget_takes_a_nupkg_as_it_is()
    {
        string project = TinyDotnetProject.Create(_dir, "Acme.Packed", "{ \"greeting\": \"hello\" }\n");
        string nupkg = TinyDotnetProject.Pack(project, "2.0.0", Path.Join(_dir, "out"));
        var run = Gate("nuget", nupkg);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("scanned Acme.Packed.2.0.0.nupkg", run.Stdout, StringComparison.Ordinal);
    }
}
