using LeakGuard.Sources.Git;

namespace LeakGuard.Sources.Tests.Git;

public class GitRemoteTests
{
    private static readonly HashSet<string> GitHubHosts = new(StringComparer.OrdinalIgnoreCase) { "github.com", "ghe.example.com" };

    private static Func<string, string?> Environment(string? gitToken, string? gitHubToken) =>
        name => name switch { "GIT_TOKEN" => gitToken, "GITHUB_TOKEN" => gitHubToken, _ => null };

    [Theory]
    [InlineData("https://github.com/acme/api.git", "https")]
    [InlineData("ssh://git@host/acme/api.git", "ssh")]
    [InlineData("git://127.0.0.1:9418/api.git", "git")]
    [InlineData("file:///srv/git/api.git", "file")]
    [InlineData("git@github.com:acme/api.git", "scp-like")]
    public void Urls_of_every_transport_are_remotes(string location, string kind)
    {
        Assert.True(GitRemote.IsRemote(location), kind);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("../service")]
    [InlineData("/srv/git/api.git")]
    [InlineData("ext::sh -c touch% /tmp/pwned")]
    public void Paths_and_unsupported_transports_are_not_remotes(string location)
    {
        Assert.False(GitRemote.IsRemote(location));
    }

    [Theory]
    [InlineData("https://someone:hunter2@git.example.com/acme/api.git")]
    [InlineData("https://someone:hun@ter2@git.example.com/acme/api.git")]
    [InlineData("https://someone:hunter2@@git.example.com/acme/api.git")]
    public void Credentials_in_a_url_are_kept_out_of_its_cache_folder(string url)
    {
        Assert.DoesNotContain("ter2", GitRemote.CacheKey(url));
        Assert.DoesNotContain("someone", GitRemote.CacheKey(url));
        Assert.Equal(GitRemote.CacheKey("https://git.example.com/acme/api.git"), GitRemote.CacheKey(url));
    }

    [Fact]
    public void Git_token_goes_to_any_https_remote_but_never_over_plain_transports()
    {
        Assert.Equal("g", GitRemoteMirror.TokenFor("https://git.example.com/a.git", GitHubHosts, Environment("g", "h")));
        Assert.Null(GitRemoteMirror.TokenFor("http://git.example.com/a.git", GitHubHosts, Environment("g", "h")));
        Assert.Null(GitRemoteMirror.TokenFor("git://git.example.com/a.git", GitHubHosts, Environment("g", "h")));
    }

    [Fact]
    public void GitHub_token_goes_only_to_GitHub_hosts()
    {
        Assert.Equal("h", GitRemoteMirror.TokenFor("https://github.com/acme/a.git", GitHubHosts, Environment(null, "h")));
        Assert.Equal("h", GitRemoteMirror.TokenFor("https://ghe.example.com/acme/a.git", GitHubHosts, Environment(null, "h")));
        Assert.Null(GitRemoteMirror.TokenFor("https://elsewhere.example/acme/a.git", GitHubHosts, Environment(null, "h")));
    }
}
