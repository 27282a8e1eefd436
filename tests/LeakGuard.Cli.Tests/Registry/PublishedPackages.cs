namespace LeakGuard.Cli.Tests.Registry;

/// <summary>
/// One Verdaccio holding <c>@acme/widget</c> in three versions — 1.0.0 clean, 1.1.0 with a
/// token in lib/config.js, 2.0.0 that also ships dist/index.js.map — and <c>@acme/tampered</c>,
/// 1.0.0 and 1.0.1 both with the token, whose stored 1.0.0 tarball no longer matches its published
/// integrity (yet still unpacks to the same files), and <c>@private/thing</c>, which only a
/// registered user may read.
/// </summary>
public sealed class PublishedPackages : IDisposable
{
    public const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    public const string Map = """{"version":3,"file":"index.js","sources":["../src/index.ts"],"sourcesContent":["export const answer: number = 42;\n"],"mappings":"AAAA"}""";

    public VerdaccioRegistry Registry { get; } = new();

    /// <summary>A real token Verdaccio issued for a registered user; <c>@private/thing</c> can be
    /// read only with it.</summary>
    public string PrivateToken { get; }

    /// <summary>An .npmrc naming the registry, with the token taken from $LEAKGUARD_TEST_TOKEN.</summary>
    public string PrivateUserConfig { get; }

    public PublishedPackages()
    {
        var clean = new Dictionary<string, string> { ["index.js"] = "module.exports = 42;\n" };
        var withToken = new Dictionary<string, string>(clean) { ["lib/config.js"] = $"exports.token = \"{Token}\";\n" };
        var withMap = new Dictionary<string, string>(withToken) { ["dist/index.js.map"] = Map };
        Registry.Publish("@acme/widget", "1.0.0", clean);
        Registry.Publish("@acme/widget", "1.1.0", withToken);
        Registry.Publish("@acme/widget", "2.0.0", withMap);
        Registry.Publish("@acme/tampered", "1.0.0", withToken);
        Registry.Publish("@acme/tampered", "1.0.1", withToken);
        PrivateToken = Registry.AddUser("alice", "correct-horse-battery");
        PrivateUserConfig = Path.Join(Registry.Root, "private-npmrc");
        File.WriteAllText(PrivateUserConfig, $"registry={Registry.Url}\n//{new Uri(Registry.Url).Authority}/:_authToken=${{LEAKGUARD_TEST_TOKEN}}\n");
        string publishConfig = Path.Join(Registry.Root, "publish-npmrc");
        File.WriteAllText(publishConfig, $"//{new Uri(Registry.Url).Authority}/:_authToken={PrivateToken}\n");
        Registry.Publish("@private/thing", "1.0.0", withToken, publishConfig);
        string stored = Registry.StoredTarball("@acme", "tampered", "1.0.0");
        byte[] bytes = File.ReadAllBytes(stored);
        // The gzip header's MTIME (bytes 4-7): no reader checks it, so the tarball still unpacks
        // to the same files, token included, but its sha512 is no longer the published one.
        Assert.True(bytes is [0x1F, 0x8B, ..], "npm publishes gzip");
        bytes[4] ^= 0xFF;
        File.WriteAllBytes(stored, bytes);
    }

    public void Dispose() => Registry.Dispose();
}
