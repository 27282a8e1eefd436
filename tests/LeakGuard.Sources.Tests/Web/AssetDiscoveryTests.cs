using System.Text;
using LeakGuard.Sources.Web;

namespace LeakGuard.Sources.Tests.Web;

/// <summary>The URLs pages, runtimes and build manifests name, read as text, never run.</summary>
public class AssetDiscoveryTests
{
    [Fact]
    public void A_page_names_its_scripts_styles_preloads_and_import_map()
    {
        const string page = """
            <link rel="stylesheet" href="/static/css/main.css">
            <link rel=modulepreload href='/assets/vendor-1a2b.js'>
            <link rel="preload" as="script" href="/assets/late.js">
            <link rel="preload" as="font" href="/fonts/a.woff2">
            <link rel="icon" href="/favicon.ico">
            <script type="importmap">{"imports": {"react": "/vendor/react.mjs"}}</script>
            <script type="module" src="/assets/index-9f8e.js?v=2"></script>
            <script>console.log("inline")</script>
            """;

        Assert.Equal(["/static/css/main.css", "/assets/vendor-1a2b.js", "/assets/late.js", "/assets/index-9f8e.js?v=2", "/vendor/react.mjs"], AssetDiscovery.InPage(page));
    }

    [Fact]
    public void Runtimes_name_their_chunks_in_quoted_paths()
    {
        // Vite's preload list and dynamic import; Next.js's _buildManifest.js.
        const string vite = """const e=()=>__vitePreload(()=>import("./Admin-4c3d.js"),["assets/Admin-4c3d.js","assets/Admin-77aa.css"]);""";
        const string next = """self.__BUILD_MANIFEST={"/":["static/chunks/pages/index-2b1c.js"],"/admin":["static/chunks/pages/admin-9d8e.js"]};""";

        Assert.Equal(["./Admin-4c3d.js", "assets/Admin-4c3d.js", "assets/Admin-77aa.css"], AssetDiscovery.InScript(vite));
        Assert.Equal(["static/chunks/pages/index-2b1c.js", "static/chunks/pages/admin-9d8e.js"], AssetDiscovery.InScript(next));
    }

    [Fact]
    public void Build_manifests_name_every_asset_and_garbage_names_none()
    {
        const string vite = """{"src/main.ts":{"file":"assets/main-1a.js","css":["assets/main-2b.css"],"dynamicImports":["src/Admin.ts"]},"src/Admin.ts":{"file":"assets/Admin-3c.js"}}""";

        Assert.Equal(["assets/main-1a.js", "assets/main-2b.css", "assets/Admin-3c.js"], AssetDiscovery.InJsonManifest(Encoding.UTF8.GetBytes(vite)));
        Assert.Empty(AssetDiscovery.InJsonManifest("<!doctype html><title>not found</title>"u8.ToArray()));
    }

    [Fact]
    public void A_file_naming_too_many_assets_is_cut_off_at_the_cap()
    {
        string script = string.Concat(Enumerable.Range(0, AssetDiscovery.MaxUrlsPerFile + 500).Select(i => $"\"c/{i}.js\","));

        Assert.Equal(AssetDiscovery.MaxUrlsPerFile, AssetDiscovery.InScript(script).Count);
    }
}
