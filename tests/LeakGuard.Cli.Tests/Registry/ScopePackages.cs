namespace LeakGuard.Cli.Tests.Registry;

/// <summary>
/// One Verdaccio holding whole scopes: <c>@acme/alpha</c> (1.0.0 with a token in lib/old.js, 2.0.0
/// with one in lib/config.js instead), <c>@acme/beta</c> 1.0.0 (a token in lib/config.js),
/// <c>@other/gamma</c> 1.0.0 (a token too, and a description that mentions <c>@acme/alpha</c>, so
/// a search for "@acme/" finds it) and <c>@private/thing</c> 1.0.0, which only a registered user
/// may list and read.
/// </summary>
public sealed class ScopePackages : IDisposable
{
    public VerdaccioRegistry Registry { get; } = new();

    /// <summary>A real token Verdaccio issued for a registered user.</summary>
    public string PrivateToken { get; }

    public ScopePackages()
    {
        var clean = new Dictionary<string, string> { ["index.js"] = "module.exports = 42;\n" };
        var oldToken = new Dictionary<string, string>(clean) { ["lib/old.js"] = $"exports.token = \"{PublishedPackages.Token}\";\n" };
        var withToken = new Dictionary<string, string>(clean) { ["lib/config.js"] = $"exports.token = \"{PublishedPackages.Token}\";\n" };
        Registry.Publish("@acme/alpha", "1.0.0", oldToken);
        Registry.Publish("@acme/alpha", "2.0.0", withToken);
        Registry.Publish("@acme/beta", "1.0.0", withToken);
        Registry.Publish("@other/gamma", "1.0.0", withToken, description: "A fork of @acme/alpha");
        PrivateToken = Registry.AddUser("alice", "correct-horse-battery");
        string publishConfig = Path.Join(Registry.Root, "publish-npmrc");
        File.WriteAllText(publishConfig, $"//{new Uri(Registry.Url).Authority}/:_authToken={PrivateToken}\n");
        Registry.Publish("@private/thing", "1.0.0", withToken, publishConfig);
    }

    public void Dispose() => Registry.Dispose();
}

/// <summary>The test classes that share the Verdaccio with whole scopes.</summary>
[CollectionDefinition(Name)]
public sealed class NpmScopeCollection : ICollectionFixture<ScopePackages>
{
    public const string Name = "npm scopes";
}
