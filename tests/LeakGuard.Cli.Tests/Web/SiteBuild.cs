using LeakGuard.Cli.Tests.Registry;

namespace LeakGuard.Cli.Tests.Web;

/// <summary>
/// A front-end build made here by esbuild (tests/setup/artefacts.sh installs it), deployed the
/// ways real sites deploy maps: <c>static/js/main.3f2a.js</c> with its map and the comment naming
/// it (and a token from <c>src/config.ts</c> baked in); <c>assets/widget.5d1e.js</c> whose map was
/// deployed with the comment stripped; <c>headermap/app.js</c> whose map is elsewhere and named
/// only by a <c>SourceMap</c> header; <c>static/js/admin.9c1b.js</c>, a lazily loaded chunk named
/// only in <c>asset-manifest.json</c>; <c>static/js/names.77aa.js</c>, whose map has no sources.
/// </summary>
internal static class SiteBuild
{
    public const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    private static string Esbuild =>
        Path.Join(Environment.GetEnvironmentVariable("LEAKGUARD_TEST_TOOLS") is { Length: > 0 } tools ? tools : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "leakguard-test-tools"),
            "node_modules", ".bin", "esbuild");

    private static readonly Lazy<string> Built = new(Build);

    /// <summary>The folder of built files, as deployed (paths relative to the site root).</summary>
    public static string Output => Built.Value;

    private static string Build()
    {
        string project = Path.Join(CliRunner.TempDirectory(), "app");
        Directory.CreateDirectory(Path.Join(project, "src"));
        Write(project, "src/config.ts", $"export const apiToken = \"{Token}\";\nexport const apiBase = \"https://internal-api.acme.example/v2\";\n");
        Write(project, "src/App.ts", "import { apiBase, apiToken } from './config';\nexport function App(): string {\n  return `${apiBase}?t=${apiToken}`;\n}\n");
        Write(project, "src/main.ts", "import { App } from './App';\nconsole.log(App());\n");
        Write(project, "src/widget.ts", "export const widget = (n: number): number => n * 42;\nconsole.log(widget(1));\n");
        Write(project, "src/header.ts", "const secretPricingRule = (cents: number): number => Math.round(cents * 0.87);\nconsole.log(secretPricingRule(100));\n");
        Write(project, "src/admin.ts", "export function AdminPanel(): string {\n  return 'internal admin panel';\n}\nconsole.log(AdminPanel());\n");
        Write(project, "src/names.ts", "export function computeRiskScore(age: number): number {\n  return age * 3;\n}\nconsole.log(computeRiskScore(2));\n");
        Assert.True(File.Exists(Esbuild), $"{Esbuild} is missing: run tests/setup/artefacts.sh (./test does)");
        Bundle(project, "src/main.ts", "static/js/main.3f2a.js", "--sourcemap");
        Bundle(project, "src/widget.ts", "assets/widget.5d1e.js", "--sourcemap=external");
        Bundle(project, "src/header.ts", "headermap/app.js", "--sourcemap=external");
        Bundle(project, "src/admin.ts", "static/js/admin.9c1b.js", "--sourcemap");
        Bundle(project, "src/names.ts", "static/js/names.77aa.js", "--sourcemap", "--sources-content=false");
        return Path.Join(project, "site");
    }

    /// <summary>Serves the build on <paramref name="site"/>: the page, the bundles and maps, the
    /// build manifest; the header-announced map moved to /private-maps/. <paramref name="cdn"/>
    /// is a script host the page also loads from.</summary>
    public static void Deploy(TestSite site, string cdn)
    {
        string built = Output;
        string page = $"""
            <!doctype html>
            <html><head>
            <script type="module" src="/static/js/main.3f2a.js"></script>
            <script defer src="/assets/widget.5d1e.js"></script>
            <script src="/headermap/app.js"></script>
            <link rel="modulepreload" href="/static/js/names.77aa.js">
            <script src="{cdn}lib.js"></script>
            </head><body><div id="root"></div></body></html>
            """;
        site.Add("/", page, "text/html");
        site.Add("/asset-manifest.json", """{"files":{"main.js":"/static/js/main.3f2a.js","admin.js":"/static/js/admin.9c1b.js"},"entrypoints":["static/js/main.3f2a.js"]}""", "application/json");
        foreach (string file in new[] { "static/js/main.3f2a.js", "static/js/main.3f2a.js.map", "assets/widget.5d1e.js", "assets/widget.5d1e.js.map",
                     "static/js/admin.9c1b.js", "static/js/admin.9c1b.js.map", "static/js/names.77aa.js", "static/js/names.77aa.js.map" })
        {
            site.Add("/" + file, File.ReadAllBytes(Path.Join(built, file)), file.EndsWith(".map", StringComparison.Ordinal) ? "application/json" : "application/javascript");
        }
        site.Add("/headermap/app.js", File.ReadAllBytes(Path.Join(built, "headermap/app.js")), "application/javascript",
            new Dictionary<string, string> { ["SourceMap"] = "/private-maps/app.js.map" });
        site.Add("/private-maps/app.js.map", File.ReadAllBytes(Path.Join(built, "headermap/app.js.map")), "application/json");
    }

    private static void Bundle(string project, string entry, string output, params string[] map) =>
        ExternalTool.Run(project, Esbuild, [entry, "--bundle", "--format=esm", "--log-level=warning", .. map, $"--outfile=site/{output}"]);

    private static void Write(string project, string path, string text) => File.WriteAllText(Path.Join(project, path), text);
}
