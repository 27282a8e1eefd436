using LeakGuard.Sources.Npm;

namespace LeakGuard.Sources.Tests.Npm;

public class NpmConfigTests
{
    [Fact]
    public void Registry_defaults_to_the_public_one()
    {
        Assert.Equal(NpmConfig.PublicRegistry, NpmConfig.Parse("").RegistryFor("left-pad"));
    }

    [Fact]
    public void A_scope_registry_wins_for_its_scope_only()
    {
        var config = NpmConfig.Parse("registry=https://npm.example/\n@acme:registry=https://acme.example/npm\n");
        Assert.Equal("https://acme.example/npm/", config.RegistryFor("@acme/cli"));
        Assert.Equal("https://npm.example/", config.RegistryFor("@other/cli"));
        Assert.Equal("https://npm.example/", config.RegistryFor("cli"));
    }

    [Fact]
    public void The_token_with_the_longest_matching_host_and_path_is_sent()
    {
        var config = NpmConfig.Parse("""
            //npm.example/:_authToken=host-token
            //npm.example/private/:_authToken=path-token
            //127.0.0.1:4873/:_authToken=port-token
            """);
        Assert.Equal("host-token", config.TokenFor(new Uri("https://npm.example/@acme%2fcli")));
        Assert.Equal("path-token", config.TokenFor(new Uri("https://npm.example/private/cli/-/cli-1.0.0.tgz")));
        Assert.Equal("port-token", config.TokenFor(new Uri("http://127.0.0.1:4873/cli")));
        Assert.Null(config.TokenFor(new Uri("https://elsewhere.example/cli")));
        Assert.Null(config.TokenFor(new Uri("http://127.0.0.1:4874/cli")));
    }

    [Fact]
    public void Tokens_are_read_from_environment_variables_as_npm_does()
    {
        Environment.SetEnvironmentVariable("LEAKGUARD_TEST_NPM_TOKEN", "from-env");
        var config = NpmConfig.Parse("//npm.example/:_authToken=${LEAKGUARD_TEST_NPM_TOKEN}\n");
        Assert.Equal("from-env", config.TokenFor(new Uri("https://npm.example/cli")));
    }

    [Fact]
    public void Comments_and_unrelated_keys_are_ignored()
    {
        var config = NpmConfig.Parse("# registry=https://commented.example/\n; x\nsave-exact=true\nregistry = https://npm.example\n");
        Assert.Equal("https://npm.example/", config.RegistryFor("cli"));
    }
}
