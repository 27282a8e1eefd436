using System.Text.Json;
using System.Text.RegularExpressions;
using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests.Protection;

/// <summary>
/// <c>leakguard protect</c> and <c>scan --protected</c> end to end: a protected codebase made of
/// npm's own JavaScript (real code, on every machine the tests run on) committed to a real git
/// repository, and a package built from copies of it by esbuild and packed by npm pack.
/// </summary>
public sealed class ProtectCommandTests : IDisposable
{
    private const string Codebase = "acme/agent-core";

    private readonly string work = CliRunner.TempDirectory();
    private readonly string index;
    private readonly string repository;

    /// <summary>npm's lib/utils: the JavaScript files that require nothing relative (so a bundler
    /// takes each alone), largest first.</summary>
    internal static readonly string[] SelfContained = NpmUtils()
        .Where(f => !Regex.IsMatch(File.ReadAllText(f), @"require\(['""]\.|from ['""]\."))
        .OrderByDescending(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).ToArray();

    public ProtectCommandTests()
    {
        index = Path.Join(work, "protected.lgpi");
        repository = Path.Join(work, "agent-core");
        Directory.CreateDirectory(Path.Join(repository, "src", "utils"));
        foreach (string file in NpmUtils())
        {
            File.Copy(file, Path.Join(repository, "src", "utils", Path.GetFileName(file)));
        }
        ExternalTool.Run(repository, "git", "init", "--quiet");
        ExternalTool.Run(repository, "git", "add", ".");
        ExternalTool.Run(repository, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "agent core");
        ExternalTool.Run(repository, "git", "tag", "v1");
        // After the tag: a file added later is not part of the protected tree at v1.
        File.Copy(EsbuildApi, Path.Join(repository, "src", "later.js"));
        ExternalTool.Run(repository, "git", "add", ".");
        ExternalTool.Run(repository, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "later");
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    internal static string[] NpmUtils()
    {
        string npm = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Join(d, "npm")).First(File.Exists);
        string root = Path.GetDirectoryName(Path.GetDirectoryName(File.ResolveLinkTarget(npm, returnFinalTarget: true)?.FullName ?? npm))!;
        string utils = Path.Join(root, "lib", "utils");
        Assert.True(Directory.Exists(utils), $"npm's lib/utils is not at {utils}");
        return [.. Directory.GetFiles(utils, "*.js").Order(StringComparer.Ordinal)];
    }

    /// <summary>The protected files the protected-code findings of a scan of <paramref name="target"/> name.</summary>
    private string[] ProtectedPaths(string target)
    {
        var scan = CliRunner.Run("scan", target, "--protected", index, "--format", "json", "--no-progress");
        return [.. JsonDocument.Parse(scan.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("ruleId").GetString() == "leakguard.protected-code")
            .SelectMany(f => f.GetProperty("details").GetProperty("protectedPaths").EnumerateArray().Select(p => p.GetString()!))
            .Distinct().Order(StringComparer.Ordinal)];
    }

    private CliRunner.Outcome Protect(params string[] args) => CliRunner.Run(["protect", .. args, "--index", index]);

    [Fact]
    public void Add_list_canary_and_remove_keep_the_index_and_refuse_what_they_cannot_do()
    {
        var added = Protect("add", Codebase, "git:" + repository, "--ref", "v1");
        Assert.Equal(0, added.ExitCode);
        Assert.Contains($"{Codebase}: {NpmUtils().Length} files", added.Stdout);

        string canary = Protect("canary", Codebase).Stdout.Trim();
        Assert.Matches("^lgcanary_[a-z2-7]{26}$", canary);
        var list = Protect("list");
        Assert.Contains($"{Codebase}\t{NpmUtils().Length} files", list.Stdout);
        Assert.Contains("\t1 canaries\t", list.Stdout);

        Assert.Equal(2, Protect("canary", "acme/unknown").ExitCode);
        Assert.Equal(2, Protect("add", "acme/empty", Path.Join(work, "no-such-folder")).ExitCode);
        // A scan checks the index's checksum while it loads its rules: a damaged index still stops
        // it before anything is scanned.
        byte[] bytes = File.ReadAllBytes(index);
        string intact = Path.Join(work, "intact.lgpi");
        File.Copy(index, intact);
        bytes.AsSpan(bytes.Length - 20, 8).Clear();
        File.WriteAllBytes(index, bytes);
        var damagedTable = CliRunner.Run("scan", work, "--protected", index, "--format", "json");
        Assert.Equal(2, damagedTable.ExitCode);
        Assert.Contains("the protected-code index is damaged", damagedTable.Stderr);
        Assert.Equal("", damagedTable.Stdout);
        File.Move(intact, index, overwrite: true);

        Assert.Equal(0, Protect("remove", Codebase).ExitCode);
        Assert.Contains("no protected codebases", Protect("list").Stdout);
        Assert.Equal(2, Protect("remove", Codebase).ExitCode);

        File.WriteAllText(index, "not an index");
        var damaged = CliRunner.Run("scan", work, "--protected", index);
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains("not a LeakGuard protected-code index", damaged.Stderr);
    }

    [Fact]
    public void Code_also_found_in_open_source_is_dropped_from_a_protected_codebase_so_only_its_own_code_is_reported()
    {
        // npm's utils stand for open source; the protected codebase is two of them (vendored) and
        // a file of its own (esbuild's API, standing for the company's code).
        string openSource = Path.Join(work, "open-source");
        Directory.CreateDirectory(openSource);
        foreach (string file in SelfContained.Take(4))
        {
            File.Copy(file, Path.Join(openSource, Path.GetFileName(file)));
        }
        string codebase = Path.Join(work, "billing");
        Directory.CreateDirectory(codebase);
        File.Copy(SelfContained[0], Path.Join(codebase, "vendored-a.js"));
        File.Copy(SelfContained[1], Path.Join(codebase, "vendored-b.js"));
        File.Copy(EsbuildApi, Path.Join(codebase, "billing.js"));
        string common = Path.Join(work, "common.lgcf");

        var collected = CliRunner.Run("protect", "common", "add", openSource, "--common", common);
        Assert.True(collected.ExitCode == 0, collected.Stderr);
        Assert.Matches(@"^4 code files, [\d,]+ fingerprints", collected.Stdout);
        var added = CliRunner.Run("protect", "add", "acme/billing", codebase, "--index", index, "--common", common);
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Matches(@"\(([\d,]+) more dropped as found in open source\)", added.Stdout);

        // A release holding all three: only the codebase's own file is protected code.
        string release = Path.Join(work, "release");
        Directory.CreateDirectory(release);
        File.Copy(SelfContained[0], Path.Join(release, "a.js"));
        File.Copy(SelfContained[1], Path.Join(release, "b.js"));
        File.Copy(EsbuildApi, Path.Join(release, "c.js"));
        Assert.Equal(["billing.js"], ProtectedPaths(release));

        // Without the list, the vendored files count as the codebase's own.
        Assert.Equal(0, CliRunner.Run("protect", "add", "acme/billing", codebase, "--index", index, "--common", Path.Join(work, "none.lgcf")).ExitCode);
        Assert.Equal(["billing.js", "vendored-a.js", "vendored-b.js"], ProtectedPaths(release));

        File.WriteAllText(common, "not a list");
        var damaged = CliRunner.Run("protect", "add", "acme/billing", codebase, "--index", index, "--common", common);
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains("not a LeakGuard common-fingerprint list", damaged.Stderr);
    }

    [Fact]
    public void A_package_vendoring_three_protected_files_under_other_names_is_one_critical_finding_naming_them_and_its_canary_is_found_minified()
    {
        Assert.Equal(0, Protect("add", Codebase, "git:" + repository, "--ref", "v1").ExitCode);
        string canary = Protect("canary", Codebase).Stdout.Trim();
        string[] vendored = SelfContained[..3];
        string project = Path.Join(work, "widget");
        Directory.CreateDirectory(Path.Join(project, "src", "vendor"));
        for (int i = 0; i < vendored.Length; i++)
        {
            File.Copy(vendored[i], Path.Join(project, "src", "vendor", $"helper{i}.js"));
        }
        // Open-source code beside them: esbuild's own JavaScript API.
        File.Copy(EsbuildApi, Path.Join(project, "src", "esbuild-api.js"));
        File.WriteAllText(Path.Join(project, "src", "index.js"), $$"""
            const BUILD_ID = "{{canary}}";
            module.exports = { BUILD_ID, a: require("./vendor/helper0.js"), b: require("./vendor/helper1.js"),
              c: require("./vendor/helper2.js"), api: require("./esbuild-api.js") };
            """);
        File.WriteAllText(Path.Join(project, "package.json"), """{ "name": "widget", "version": "1.0.0", "license": "MIT", "files": ["dist"] }""");
        ExternalTool.Run(project, Esbuild, "src/index.js", "--bundle", "--platform=node", "--packages=external", "--log-level=error",
            "--sourcemap", "--outfile=dist/index.js");
        ExternalTool.Run(project, Esbuild, "src/index.js", "--bundle", "--platform=node", "--packages=external", "--log-level=error",
            "--minify", "--outfile=dist/index.min.js");
        ExternalTool.Run(project, "npm", "pack", "--silent", "--ignore-scripts", "--cache", Path.Join(project, ".npm-cache"));
        string tgz = Path.Join(project, "widget-1.0.0.tgz");
        string report = Path.Join(work, "report.json");

        var scan = CliRunner.Run("scan", tgz, "--protected", index, "--format", "json", "--output", report, "--no-progress");

        Assert.Equal(1, scan.ExitCode);
        var findings = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var copy = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "leakguard.protected-code");
        Assert.Equal("critical", copy.GetProperty("severity").GetString());
        Assert.Equal("exposure", copy.GetProperty("kind").GetString());
        var details = copy.GetProperty("details");
        Assert.Equal(Codebase, details.GetProperty("codebase").GetString());
        var files = details.GetProperty("files").EnumerateArray().ToList();
        string[] expected = [.. vendored.Select(v => "src/utils/" + Path.GetFileName(v)).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, files.Select(f => f.GetProperty("protectedFile").GetString()).Distinct().Order(StringComparer.Ordinal));
        // Each vendored file is named where the source map embeds it, under its new name.
        for (int i = 0; i < vendored.Length; i++)
        {
            var embedded = Assert.Single(files, f => f.GetProperty("path").GetString()!.EndsWith($"dist/index.js.map!../src/vendor/helper{i}.js", StringComparison.Ordinal));
            Assert.Equal("src/utils/" + Path.GetFileName(vendored[i]), embedded.GetProperty("protectedFile").GetString());
            Assert.True(embedded.GetProperty("similarity").GetDouble() >= 0.95);
        }
        Assert.DoesNotContain(files, f => f.GetProperty("path").GetString()!.Contains("esbuild-api", StringComparison.Ordinal));
        // The canary is in both bundles: one finding, the minified bundle among its locations.
        var canaryFinding = Assert.Single(findings, f => f.GetProperty("ruleId").GetString()!.StartsWith("leakguard.canary.", StringComparison.Ordinal));
        Assert.Equal("critical", canaryFinding.GetProperty("severity").GetString());
        Assert.Contains(Codebase, canaryFinding.GetProperty("title").GetString());
        Assert.Contains("package/dist/index.min.js", canaryFinding.ToString());
    }

    [Fact]
    public void Diff_says_when_a_release_starts_containing_protected_code_and_when_it_holds_more()
    {
        Assert.Equal(0, Protect("add", Codebase, "git:" + repository, "--ref", "v1").ExitCode);
        string Release(string version, int vendoredFiles)
        {
            string release = Path.Join(work, "releases", version);
            Directory.CreateDirectory(Path.Join(release, "lib"));
            File.Copy(EsbuildApi, Path.Join(release, "lib", "api.js"));
            for (int i = 0; i < vendoredFiles; i++)
            {
                File.Copy(SelfContained[i], Path.Join(release, "lib", $"helper{i}.js"));
            }
            return release;
        }
        JsonElement Diff(string old, string @new, int exitCode)
        {
            string report = Path.Join(work, "diff.json");
            var diff = CliRunner.Run("diff", old, @new, "--protected", index, "--format", "json", "--output", report);
            Assert.True(exitCode == diff.ExitCode, diff.Stderr);
            return JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        }
        static string Protected(string file) => "src/utils/" + Path.GetFileName(file);
        string clean = Release("1.0.0", 0), one = Release("1.1.0", 1), three = Release("1.2.0", 3), threeAgain = Release("1.2.1", 3);

        var starts = Assert.Single(Diff(clean, one, exitCode: 1).GetProperty("protectedCode").EnumerateArray());
        Assert.Equal(Codebase, starts.GetProperty("codebase").GetString());
        Assert.Equal(0, starts.GetProperty("previousFiles").GetInt32());
        Assert.Equal([Protected(SelfContained[0])], starts.GetProperty("newFiles").EnumerateArray().Select(f => f.GetString()));

        var more = Diff(one, three, exitCode: 1);
        var grown = Assert.Single(more.GetProperty("protectedCode").EnumerateArray());
        Assert.Equal((3, 1), (grown.GetProperty("files").GetInt32(), grown.GetProperty("previousFiles").GetInt32()));
        Assert.Equal(SelfContained[1..3].Select(Protected).Order(StringComparer.Ordinal), grown.GetProperty("newFiles").EnumerateArray().Select(f => f.GetString()));
        // A directory's files are each their own input: a finding each, and only the new copies are new.
        Assert.Equal(["helper1.js", "helper2.js"], more.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("ruleId").GetString() == "leakguard.protected-code")
            .Select(f => Path.GetFileName(f.GetProperty("location").GetProperty("path").GetString())).Order(StringComparer.Ordinal));

        var same = Diff(three, threeAgain, exitCode: 0);
        Assert.Empty(same.GetProperty("protectedCode").EnumerateArray());
        Assert.Empty(same.GetProperty("findings").EnumerateArray());

        var text = CliRunner.Run("diff", one, three, "--protected", index);
        Assert.Contains($"holds 2 files more of {Codebase}", text.Stdout);
    }

    [Fact]
    public void The_tree_at_the_given_ref_is_protected_not_what_came_after()
    {
        string copy = Path.Join(work, "copy");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Join(repository, "src", "later.js"), Path.Join(copy, "later-copy.js"));
        string report = Path.Join(work, "copy.json");
        int Copies()
        {
            CliRunner.Run("scan", copy, "--protected", index, "--format", "json", "--output", report, "--no-progress");
            return JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("findings").EnumerateArray()
                .Count(f => f.GetProperty("ruleId").GetString() == "leakguard.protected-code");
        }

        Assert.Equal(0, Protect("add", Codebase, "git:" + repository, "--ref", "v1").ExitCode);
        Assert.Equal(0, Copies());
        Assert.Equal(0, Protect("add", Codebase, "git:" + repository).ExitCode);
        Assert.Equal(1, Copies());
    }

    private static string EsbuildApi => Path.Join(Path.GetDirectoryName(Esbuild)!, "..", "esbuild", "lib", "main.js");

    private static string Esbuild =>
        Path.Join(Environment.GetEnvironmentVariable("LEAKGUARD_TEST_TOOLS") is { Length: > 0 } tools ? tools : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "leakguard-test-tools"),
            "node_modules", ".bin", "esbuild");
}
