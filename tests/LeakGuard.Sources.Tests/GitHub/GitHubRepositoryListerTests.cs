using LeakGuard.Sources.Git;
using LeakGuard.Sources.GitHub;
using LeakGuard.Tests.GitHub;

namespace LeakGuard.Sources.Tests.GitHub;

public sealed class GitHubRepositoryListerTests : IDisposable
{
    private readonly FakeGitHubApi _api = new();
    private readonly List<(string Target, string Message)> _warnings = [];

    private GitHubRepositoryLister Lister(string? token = null) => new(_api.ApiRoot, token, (t, m) => _warnings.Add((t, m)));

    private static Dictionary<string, string> Next(string url, string last) => new()
    {
        ["Link"] = $"<{url}>; rel=\"next\", <{last}>; rel=\"last\"",
    };

    [Fact]
    public async Task Every_page_of_an_organisation_is_listed_by_following_link_headers()
    {
        string page2 = _api.Url("/api/v3/organizations/9/repos?page=2");
        _api.Route("/api/v3/orgs/acme/repos", FakeGitHubApi.Repositories(Next(page2, page2),
            FakeGitHubApi.Repository(1, "acme/api", "git://127.0.0.1/api.git")));
        _api.Route("/api/v3/organizations/9/repos?page=2", FakeGitHubApi.Repositories(null,
            FakeGitHubApi.Repository(2, "acme/web", "git://127.0.0.1/web.git")));

        var repositories = await Lister("t0ken").ListAsync("acme", includeForks: false, includeArchived: false);

        Assert.Equal(["acme/api", "acme/web"], repositories.Select(r => r.FullName));
        Assert.Equal("git://127.0.0.1/web.git", repositories[1].CloneUrl);
        Assert.All(_api.Requests, r => Assert.Equal("token t0ken", r.Authorization, ignoreCase: true));
    }

    [Fact]
    public async Task Forks_and_archived_repositories_are_left_out_unless_asked_for()
    {
        _api.Route("/api/v3/orgs/acme/repos", FakeGitHubApi.Repositories(null,
            FakeGitHubApi.Repository(1, "acme/api", "git://h/api.git"),
            FakeGitHubApi.Repository(2, "acme/fork", "git://h/fork.git", fork: true),
            FakeGitHubApi.Repository(3, "acme/old", "git://h/old.git", archived: true)));

        Assert.Equal(["acme/api"], (await Lister().ListAsync("acme", false, false)).Select(r => r.FullName));
        Assert.Equal(["acme/api", "acme/fork", "acme/old"], (await Lister().ListAsync("acme", true, true)).Select(r => r.FullName));
    }

    [Fact]
    public async Task A_user_is_listed_when_no_organisation_has_the_name()
    {
        _api.Route("/api/v3/users/ada/repos", FakeGitHubApi.Repositories(null,
            FakeGitHubApi.Repository(1, "ada/notes", "git://h/notes.git")));

        Assert.Equal(["ada/notes"], (await Lister().ListAsync("ada", false, false)).Select(r => r.FullName));
    }

    [Fact]
    public async Task A_rate_limit_is_waited_out_and_the_listing_resumes()
    {
        string page2 = _api.Url("/api/v3/organizations/9/repos?page=2");
        _api.Route("/api/v3/orgs/acme/repos", FakeGitHubApi.Repositories(Next(page2, page2),
            FakeGitHubApi.Repository(1, "acme/api", "git://h/api.git")));
        _api.Route("/api/v3/organizations/9/repos?page=2",
            FakeGitHubApi.RateLimited(DateTimeOffset.UtcNow.AddSeconds(1)),
            FakeGitHubApi.Repositories(null, FakeGitHubApi.Repository(2, "acme/web", "git://h/web.git")));

        var repositories = await Lister().ListAsync("acme", false, false);

        Assert.Equal(["acme/api", "acme/web"], repositories.Select(r => r.FullName));
        Assert.Contains("rate limit", Assert.Single(_warnings).Message);
    }

    [Fact]
    public async Task A_secondary_rate_limit_with_retry_after_is_waited_out()
    {
        _api.Route("/api/v3/orgs/acme/repos",
            new FakeGitHubApi.Response(429, """{"message":"You have exceeded a secondary rate limit."}""",
                new Dictionary<string, string> { ["retry-after"] = "1" }),
            FakeGitHubApi.Repositories(null, FakeGitHubApi.Repository(1, "acme/api", "git://h/api.git")));

        Assert.Equal(["acme/api"], (await Lister().ListAsync("acme", false, false)).Select(r => r.FullName));
    }

    [Fact]
    public async Task A_rate_limit_longer_than_the_scan_waits_is_one_clear_error()
    {
        _api.Route("/api/v3/orgs/acme/repos", FakeGitHubApi.RateLimited(DateTimeOffset.UtcNow.AddHours(3)));

        var error = await Assert.ThrowsAsync<GitSourceException>(() => Lister().ListAsync("acme", false, false));

        Assert.StartsWith("github:acme: rate limited until", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_owner_is_one_clear_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<GitSourceException>(() => Lister().ListAsync("nobody", false, false));

        Assert.StartsWith("github:nobody: no GitHub organisation or user", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_in_the_api_url_are_not_in_its_errors()
    {
        var withCredentials = new UriBuilder(_api.ApiRoot) { UserName = "ci", Password = "Hunter2Secret" }.Uri;
        var lister = new GitHubRepositoryLister(withCredentials, null, (t, m) => _warnings.Add((t, m)));

        var error = await Assert.ThrowsAsync<GitSourceException>(() => lister.ListAsync("nobody", false, false));

        Assert.Equal($"github:nobody: no GitHub organisation or user of that name at {_api.ApiRoot}", error.Message);
    }

    public void Dispose() => _api.Dispose();
}
