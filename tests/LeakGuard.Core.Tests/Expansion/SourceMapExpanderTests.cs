using System.Text;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Expansion.SourceMaps;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>Source maps made by esbuild and packed by npm pack, scanned through the whole pipeline.</summary>
public class SourceMapExpanderTests
{
    private const string Mit = "\"license\": \"MIT\"";
    private const string Unlicensed = "\"license\": \"UNLICENSED\"";

    private static ScanResult ScanFile(string path, ScanOptions? options = null) =>
        CoreTestKit.Scan(options, (Path.GetFileName(path), File.ReadAllBytes(path)));

    private static Finding Exposure(ScanResult result) => Assert.Single(result.Findings, f => f.RuleId == "leakguard.source-map-sources");

    [Fact]
    public void Each_embedded_source_is_a_member_named_by_the_map_with_its_own_line_numbers()
    {
        string tgz = NpmArtefact.Create(Mit).Bundle("--sourcemap").Pack();
        var result = ScanFile(tgz);
        var inSource = Assert.Single(result.Findings, f => f.RuleId == "test.github" && f.Location.Path.Contains(".map!", StringComparison.Ordinal));
        Assert.Equal("acme-cli-2.1.0.tgz!package/dist/cli.js.map!../src/main.ts", inSource.Location.Path);
        Assert.Equal(3, inSource.Location.Line);
        Assert.Equal(16, inSource.Location.Column);
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "acme-cli-2.1.0.tgz!package/dist/cli.js");
    }

    [Fact]
    public void The_exposure_counts_first_and_third_party_sources_bytes_and_file_types()
    {
        string tgz = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap").Pack();
        var exposure = Exposure(ScanFile(tgz));
        Assert.Equal("acme-cli-2.1.0.tgz!package/dist/cli.js.map", exposure.Location.Path);
        Assert.Equal(FindingKind.Exposure, exposure.Kind);
        Assert.Equal(3, exposure.Details["embeddedSources"]);
        Assert.Equal(2, exposure.Details["firstParty"]);
        Assert.Equal(1, exposure.Details["thirdParty"]);
        long sourceBytes = new[] { "src/main.ts", "src/util.ts", "node_modules/tiny-pad/index.js" }.Sum(f => new FileInfo(Path.Join(Path.GetDirectoryName(tgz)!, f)).Length);
        Assert.Equal(sourceBytes, exposure.Details["sourceBytes"]);
        var types = Assert.IsType<Dictionary<string, object?>>(exposure.Details["fileTypes"]);
        Assert.Equal(2, types[".ts"]);
        Assert.Equal(1, types[".js"]);
        Assert.Equal(["../src/util.ts", "../src/main.ts"], Assert.IsType<string[]>(exposure.Details["examples"]));
        Assert.Equal("@acme/cli", exposure.Location.Package);
        Assert.Equal("2.1.0", exposure.Location.Version);
    }

    [Theory]
    [InlineData(Unlicensed, Severity.Critical)]
    [InlineData("\"license\": \"SEE LICENSE IN EULA.txt\"", Severity.Critical)]
    [InlineData("\"license\": \"MIT\", \"private\": true", Severity.Critical)]
    [InlineData("\"description\": \"no licence field\"", Severity.Critical)]
    [InlineData("\"license\": \"BUSL-1.1\"", Severity.Critical)]
    [InlineData(Mit, Severity.Low)]
    [InlineData("\"license\": \"(MIT OR Apache-2.0)\"", Severity.Low)]
    public void Exposure_severity_follows_the_package_licence(string manifestFields, Severity expected)
    {
        string tgz = NpmArtefact.Create(manifestFields).Bundle("--sourcemap").Pack();
        var exposure = Exposure(ScanFile(tgz));
        Assert.Equal(expected, exposure.Severity);
        Assert.StartsWith(expected == Severity.Low ? "open source" : "not open source", (string?)exposure.Details["licenseVerdict"]);
    }

    [Fact]
    public void A_package_on_the_protected_list_is_critical_whatever_its_licence()
    {
        string tgz = NpmArtefact.Create(Mit).Bundle("--sourcemap").Pack();
        var exposure = Exposure(ScanFile(tgz, new ScanOptions { ProtectedPackages = ["@acme/cli"] }));
        Assert.Equal(Severity.Critical, exposure.Severity);
        Assert.Contains("protected list", (string?)exposure.Details["licenseVerdict"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_after_the_map_in_the_tarball_still_decides_the_severity()
    {
        var artefact = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap");
        CoreTestKit.Run(artefact.Directory, "tar", "-czf", "late.tgz", "package/dist/cli.js.map", "package/package.json");
        var exposure = Exposure(ScanFile(Path.Join(artefact.Directory, "late.tgz")));
        Assert.Equal(Severity.Critical, exposure.Severity);
        Assert.Equal("late.tgz!package/package.json", exposure.Details["manifest"]);
    }

    [Fact]
    public void A_loose_map_takes_its_severity_from_the_package_json_in_its_folder()
    {
        var artefact = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap");
        var result = CoreTestKit.Scan(null,
            ("package/dist/cli.js.map", File.ReadAllBytes(Path.Join(artefact.Project, "dist", "cli.js.map"))),
            ("package/package.json", File.ReadAllBytes(Path.Join(artefact.Project, "package.json"))));
        var exposure = Exposure(result);
        Assert.Equal(Severity.Critical, exposure.Severity);
        Assert.Equal("package/package.json", exposure.Details["manifest"]);
    }

    [Fact]
    public void A_map_with_no_manifest_anywhere_is_high()
    {
        var artefact = NpmArtefact.Create(Mit).Bundle("--sourcemap");
        var exposure = Exposure(ScanFile(Path.Join(artefact.Project, "dist", "cli.js.map")));
        Assert.Equal(Severity.High, exposure.Severity);
    }

    [Fact]
    public void Source_paths_from_a_home_folder_make_an_open_source_exposure_medium()
    {
        var artefact = NpmArtefact.Create(Mit, projectFolder: "home/alice/cli");
        CoreTestKit.Run(artefact.Project, NpmArtefact.EsbuildPath, "src/main.ts", "--bundle", "--platform=node", "--log-level=warning", "--sourcemap", "--outfile=../../../out/cli.js");
        var exposure = Exposure(CoreTestKit.Scan(null,
            ("out/cli.js.map", File.ReadAllBytes(Path.Join(artefact.Directory, "out", "cli.js.map"))),
            ("out/package.json", File.ReadAllBytes(Path.Join(artefact.Project, "package.json")))));
        Assert.Equal(Severity.Medium, exposure.Severity);
        Assert.Contains("../home/alice/cli/src/main.ts", Assert.IsType<string[]>(exposure.Details["buildMachinePaths"]));
    }

    [Fact]
    public void An_inline_data_map_is_expanded_and_the_script_is_still_scanned()
    {
        string tgz = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap=inline").Pack();
        var result = ScanFile(tgz);
        var inSource = Assert.Single(result.Findings, f => f.RuleId == "test.github" && f.Location.Path.Contains(".map!", StringComparison.Ordinal));
        Assert.Equal("acme-cli-2.1.0.tgz!package/dist/cli.js!cli.js.map!../src/main.ts", inSource.Location.Path);
        Assert.Equal(3, inSource.Location.Line);
        // Once in the bundle's code, once in its source: not again from the map's base64 text.
        var inScript = Assert.Single(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "acme-cli-2.1.0.tgz!package/dist/cli.js");
        Assert.False(inScript.Details.ContainsKey("decoded"));
        Assert.Equal(Severity.Critical, Exposure(result).Severity);
    }

    [Fact]
    public void A_relative_sourceMappingURL_is_resolved_inside_the_artefact()
    {
        string tgz = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap").Pack();
        Assert.Equal("acme-cli-2.1.0.tgz!package/dist/cli.js", Exposure(ScanFile(tgz)).Details["referencedBy"]);
    }

    [Fact]
    public void A_sourceMappingURL_naming_a_map_the_artefact_lacks_is_a_warning()
    {
        var artefact = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap");
        CoreTestKit.Run(artefact.Directory, "tar", "-czf", "nomap.tgz", "package/dist/cli.js", "package/package.json");
        var result = ScanFile(Path.Join(artefact.Directory, "nomap.tgz"));
        Assert.Contains(result.Warnings, w => w.Path == "nomap.tgz" && w.Message.Contains("nomap.tgz!package/dist/cli.js.map, which is not in the artefact", StringComparison.Ordinal));
    }

    [Fact]
    public void An_http_sourceMappingURL_is_an_exposure_naming_the_host()
    {
        var artefact = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap");
        string script = File.ReadAllText(Path.Join(artefact.Project, "dist", "cli.js")).Replace("sourceMappingURL=cli.js.map", "sourceMappingURL=https://maps.acme-cdn.example/cli/cli.js.map", StringComparison.Ordinal);
        var remote = Assert.Single(CoreTestKit.Scan(("dist/cli.js", script)).Findings, f => f.RuleId == "leakguard.remote-source-map");
        Assert.Equal("maps.acme-cdn.example", remote.Details["host"]);
        Assert.Equal("dist/cli.js", remote.Location.Path);
    }

    [Fact]
    public void A_remote_map_url_is_reported_without_its_credentials_or_signed_query()
    {
        var artefact = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap");
        string script = File.ReadAllText(Path.Join(artefact.Project, "dist", "cli.js"));
        Finding Remote(string url) => Assert.Single(
            CoreTestKit.Scan(("dist/cli.js", script.Replace("sourceMappingURL=cli.js.map", "sourceMappingURL=" + url, StringComparison.Ordinal))).Findings,
            f => f.RuleId == "leakguard.remote-source-map");

        var signed = Remote("https://deploy:Hunter2Pass@maps.acme-cdn.example/cli/cli.js.map?X-Amz-Signature=0f1e2d3c4b5a69788796&X-Amz-Expires=300#x");
        var plain = Remote("https://maps.acme-cdn.example/cli/cli.js.map");

        Assert.Equal("https://maps.acme-cdn.example/cli/cli.js.map", signed.Details["url"]);
        var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            LeakGuard.Core.Reporting.FindingJson.Write(json, signed);
        }
        string written = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        Assert.DoesNotContain("Hunter2Pass", written, StringComparison.Ordinal);
        Assert.DoesNotContain("deploy", written, StringComparison.Ordinal);
        Assert.DoesNotContain("0f1e2d3c4b5a69788796", written, StringComparison.Ordinal);
        // The same place, the same finding: rotating the signature does not make it new.
        Assert.Equal(plain.Fingerprint, signed.Fingerprint);
    }

    [Fact]
    public void A_malformed_map_is_a_warning_and_is_scanned_as_text_with_the_rest_of_the_package()
    {
        var artefact = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap");
        string map = Path.Join(artefact.Project, "dist", "cli.js.map");
        File.WriteAllText(map, File.ReadAllText(map)[..^40]);
        string tgz = artefact.Pack();
        var result = ScanFile(tgz);
        Assert.Contains(result.Warnings, w => w.Path == "acme-cli-2.1.0.tgz!package/dist/cli.js.map" && w.Message.StartsWith("source map is malformed", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "acme-cli-2.1.0.tgz!package/dist/cli.js.map");
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "acme-cli-2.1.0.tgz!package/dist/cli.js");
    }

    [Fact]
    public void Nesting_deeper_than_any_source_map_is_malformed_not_a_crash()
    {
        string hostile = "{\"version\":3,\"mappings\":\"\",\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        var result = CoreTestKit.Scan(("deep.js.map", hostile));
        Assert.Contains(result.Warnings, w => w.Path == "deep.js.map" && w.Message.StartsWith("source map is malformed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_source_without_a_usable_name_is_named_by_its_index()
    {
        string hostileName = new('a', 10_000);
        string map = $$"""{"version":3,"mappings":"AAAA","sources":["{{hostileName}}", null],"sourcesContent":["token = \"{{CoreTestKit.GitHubToken}}\"", "\n\n{{CoreTestKit.GitHubToken}}"]}""";
        var paths = CoreTestKit.Scan(("bad.js.map", map)).Findings.Where(f => f.RuleId == "test.github").Select(f => (f.Location.Path, f.Location.Line));
        Assert.Equal([("bad.js.map!sourcesContent[0]", (int?)1), ("bad.js.map!sourcesContent[1]", 3)], paths);
    }

    [Fact]
    public void An_index_map_expands_the_sources_of_every_section()
    {
        var first = NpmArtefact.Create(Mit).Bundle("--sourcemap");
        string map = File.ReadAllText(Path.Join(first.Project, "dist", "cli.js.map"));
        string index = $$"""{"version":3,"file":"all.js","sections":[{"offset":{"line":0,"column":0},"map":{{map}}},{"offset":{"line":100,"column":0},"map":{{map.Replace("../src/", "../lib/", StringComparison.Ordinal)}}}]}""";
        var result = CoreTestKit.Scan(("dist/all.js.map", index));
        Assert.Equal(6, Exposure(result).Details["embeddedSources"]);
        var paths = result.Findings.Where(f => f.RuleId == "test.github").Select(f => f.Location.Path).Order(StringComparer.Ordinal);
        Assert.Equal(["dist/all.js.map!../lib/main.ts", "dist/all.js.map!../src/main.ts"], paths);
    }

    [Fact]
    public void Any_json_with_version_3_and_mappings_is_a_source_map_whatever_its_name()
    {
        var artefact = NpmArtefact.Create(Mit).Bundle("--sourcemap");
        var result = CoreTestKit.Scan(null, ("dist/sourcemap.json", File.ReadAllBytes(Path.Join(artefact.Project, "dist", "cli.js.map"))));
        Assert.Contains(result.Findings, f => f.Location.Path == "dist/sourcemap.json!../src/main.ts" && f.Location.Line == 3);
    }

    [Fact]
    public void A_map_in_a_package_that_is_not_open_source_is_a_finding_even_without_sources()
    {
        string tgz = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap", "--sources-content=false").Pack();
        var result = ScanFile(tgz);
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "leakguard.source-map-sources");
        var closed = Assert.Single(result.Findings, f => f.RuleId == "leakguard.map-in-closed-package");
        Assert.Equal("acme-cli-2.1.0.tgz!package/dist/cli.js.map", closed.Location.Path);
        var open = ScanFile(NpmArtefact.Create(Mit).Bundle("--sourcemap").Pack());
        Assert.DoesNotContain(open.Findings, f => f.RuleId == "leakguard.map-in-closed-package");
    }

    [Theory]
    [InlineData("--sourcemap", "acme-cli-2.1.0.tgz!package/dist/cli.js.map")]
    [InlineData("--sourcemap=inline", "acme-cli-2.1.0.tgz!package/dist/cli.js!cli.js.map")]
    public void A_map_with_sources_in_a_closed_package_is_one_critical_finding_not_two(string flag, string mapPath)
    {
        string tgz = NpmArtefact.Create(Unlicensed).Bundle(flag).Pack();
        var exposure = Assert.Single(ScanFile(tgz).Findings, f => f.Kind == FindingKind.Exposure && f.Location.Path == mapPath);
        Assert.Equal("leakguard.source-map-sources", exposure.RuleId);
        Assert.Equal(Severity.Critical, exposure.Severity);
        Assert.Equal(["leakguard.map-in-closed-package"], Assert.IsType<string[]>(exposure.Details["subsumes"]));
        Assert.Equal("not open source: UNLICENSED", exposure.Details["licenseVerdict"]);
        Assert.Equal(3, exposure.Details["embeddedSources"]);
    }

    [Fact]
    public void A_percent_encoded_data_map_is_decoded_like_a_base64_one()
    {
        var artefact = NpmArtefact.Create(Mit).Bundle("--sourcemap");
        string map = File.ReadAllText(Path.Join(artefact.Project, "dist", "cli.js.map"));
        string script = File.ReadAllText(Path.Join(artefact.Project, "dist", "cli.js"))
            .Replace("sourceMappingURL=cli.js.map", "sourceMappingURL=data:application/json;charset=utf-8," + Uri.EscapeDataString(map), StringComparison.Ordinal);
        var result = CoreTestKit.Scan(("dist/cli.mjs", script));
        Assert.Contains(result.Findings, f => f.Location.Path == "dist/cli.mjs!cli.mjs.map!../src/main.ts" && f.Location.Line == 3);
    }

    [Fact]
    public void A_stylesheet_with_an_inline_map_exposes_its_original_stylesheets()
    {
        var artefact = NpmArtefact.Create(Unlicensed);
        File.WriteAllText(Path.Join(artefact.Project, "src", "theme.css"), "/* theme */\n.a { color: red; }\n");
        File.WriteAllText(Path.Join(artefact.Project, "src", "app.css"), "@import \"./theme.css\";\n.b { color: blue; }\n");
        CoreTestKit.Run(artefact.Project, NpmArtefact.EsbuildPath, "src/app.css", "--bundle", "--log-level=warning", "--sourcemap=inline", "--outfile=dist/app.css");
        var result = CoreTestKit.Scan(null, ("package/dist/app.css", File.ReadAllBytes(Path.Join(artefact.Project, "dist", "app.css"))),
            ("package/package.json", File.ReadAllBytes(Path.Join(artefact.Project, "package.json"))));
        var exposure = Exposure(result);
        Assert.Equal("package/dist/app.css!app.css.map", exposure.Location.Path);
        Assert.Equal(2, exposure.Details["embeddedSources"]);
        Assert.Equal(2, Assert.IsType<Dictionary<string, object?>>(exposure.Details["fileTypes"])[".css"]);
        Assert.Equal(Severity.Critical, exposure.Severity);
    }

    [Fact]
    public void A_map_listing_more_sources_than_the_member_cap_keeps_its_critical_exposure()
    {
        // esbuild's real map of a closed package, with 100,000 more sources appended.
        var artefact = NpmArtefact.Create(Unlicensed).Bundle("--sourcemap");
        var map = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Join(artefact.Project, "dist", "cli.js.map")))!.AsObject();
        var sources = map["sources"]!.AsArray();
        var contents = map["sourcesContent"]!.AsArray();
        for (int i = 0; i < 100_000; i++)
        {
            sources.Add($"../src/generated/module{i}.ts");
            contents.Add($"export const value{i} = {i};\n");
        }
        var result = CoreTestKit.Scan(null,
            ("package/dist/cli.js.map", Encoding.UTF8.GetBytes(map.ToJsonString())),
            ("package/package.json", File.ReadAllBytes(Path.Join(artefact.Project, "package.json"))));

        var exposure = Exposure(result);
        Assert.Equal(Severity.Critical, exposure.Severity);
        Assert.Equal(100_003, exposure.Details["embeddedSources"]);
        Assert.Equal(3, exposure.Details["notScanned"]);
        // The sources within the cap were scanned: the token in the first-party main.ts among them.
        Assert.Contains(result.Findings, f => f.RuleId == "test.github" && f.Location.Path == "package/dist/cli.js.map!../src/main.ts");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("package/dist/cli.js.map", warning.Path);
        Assert.Contains("3 of its 100,003 embedded sources were not scanned", warning.Message);
    }

    [Fact]
    public void A_large_map_is_streamed_not_materialised()
    {
        // 2,000 copies of esbuild's real sources under distinct names: about 25 MB of map.
        var artefact = NpmArtefact.Create(Mit).Bundle("--sourcemap");
        string[] sources = [.. Directory.GetFiles(Path.Join(artefact.Project, "src")).Select(File.ReadAllText)];
        var map = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(map))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 3);
            json.WriteString("mappings", "AAAA");
            json.WriteStartArray("sources");
            for (int i = 0; i < 2000; i++)
            {
                json.WriteStringValue($"../src/module{i}.ts");
            }
            json.WriteEndArray();
            json.WriteStartArray("sourcesContent");
            string padding = new('/', 12_000);
            for (int i = 0; i < 2000; i++)
            {
                json.WriteStringValue(sources[i % sources.Length] + "// " + padding + "\n");
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var blob = new Blob { Path = "cli.js.map", Content = map.ToArray() };
        var sink = new CountingSink();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var outcome = new SourceMapExpander(new ScanOptions()).Expand(blob, new ExpansionBudget(new ScanOptions()), sink);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ExpansionResult.Replaced, outcome);
        Assert.Equal(2000, sink.Members);
        Assert.True(allocated < blob.Content.Length / 20, $"expanding a {blob.Content.Length:N0}-byte map allocated {allocated:N0} bytes");
    }

    private sealed class CountingSink : IExpansionSink
    {
        public int Members { get; private set; }

        public ReleaseContext Release { get; } = new([]);

        public void Member(Blob member) => Members++;

        public void Expanded(Blob blob, int start, int length) => Assert.Fail("a map file is replaced by its sources, not marked");

        public void Warn(string path, string message) => Assert.Fail($"{path}: {message}");

        public void Report(Finding finding)
        {
        }
    }

    /// <summary>Found by the fuzz test: reading such a name threw InvalidOperationException out of the scan.</summary>
    [Fact]
    public void A_source_name_that_is_not_valid_UTF8_is_named_by_its_index_and_every_source_is_scanned()
    {
        // A five-byte sequence, which UTF-8 no longer has: the reader passes it, turning it into a string does not.
        string token = CoreTestKit.GitHubToken;
        byte[] map = [.. "{\"version\":3,\"mappings\":\"AAAA\",\"sources\":[\"src/"u8, 0xF8, 0x88, 0x80, 0x80, 0x80,
            .. Encoding.ASCII.GetBytes($$""".ts", "b.ts"],"sourcesContent":["token = {{token}}", "\n\n{{token}}"]}""")];

        var result = CoreTestKit.Scan(null, ("bad.js.map", map));

        var paths = result.Findings.Where(f => f.RuleId == "test.github").Select(f => (f.Location.Path, f.Location.Line));
        Assert.Equal([("bad.js.map!b.ts", (int?)3), ("bad.js.map!sourcesContent[0]", 1)], paths);
    }

    /// <summary>Found by the fuzz test (issue 11.1's "\udc00"): unescaping such a source threw
    /// InvalidOperationException and the map's other sources were lost.</summary>
    [Fact]
    public void A_source_with_a_lone_surrogate_escape_is_scanned_as_escaped_and_so_are_the_sources_after_it()
    {
        string map = $$"""{"version":3,"mappings":"AAAA","sources":["a.ts", "b.ts"],"sourcesContent":["\udc00 token = \"{{CoreTestKit.GitHubToken}}\"", "\n\n{{CoreTestKit.GitHubToken}}"]}""";

        var result = CoreTestKit.Scan(("bad.js.map", map));

        var paths = result.Findings.Where(f => f.RuleId == "test.github").Select(f => f.Location.Path);
        Assert.Equal(["bad.js.map!a.ts", "bad.js.map!b.ts"], paths);
        Assert.Contains(result.Warnings, w => w.Path == "bad.js.map!a.ts" && w.Message.Contains("not valid text once unescaped", StringComparison.Ordinal));
    }

    /// <summary>Found by the long fuzz run: comparing a key that holds an escaped lone surrogate
    /// threw InvalidOperationException (.NET unescapes a key only when its start matches, here
    /// "sources"), and the whole map was left unexpanded.</summary>
    [Fact]
    public void A_key_that_is_not_text_is_skipped_and_the_map_is_expanded()
    {
        const string key = "sourc\\udc00esContent"; // as found
        string map = $$"""{"version":3,"mappings":"AAAA","{{key}}":1,"sources":["a.ts"],"sourcesContent":["token = {{CoreTestKit.GitHubToken}}"]}""";

        var result = CoreTestKit.Scan(("bad.js.map", map));

        Assert.Equal(["bad.js.map!a.ts"], result.Findings.Where(f => f.RuleId == "test.github").Select(f => f.Location.Path));
        Assert.DoesNotContain(result.Warnings, w => w.Path.StartsWith("bad.js.map", StringComparison.Ordinal));
    }
}
