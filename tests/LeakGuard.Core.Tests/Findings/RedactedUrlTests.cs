using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Tests.Findings;

public class RedactedUrlTests
{
    [Theory]
    [InlineData("https://ci:hunter2@registry.example.com/npm/", "https://registry.example.com/npm/")]
    [InlineData("https://ci:hun@ter2@registry.example.com/npm/", "https://registry.example.com/npm/")]
    [InlineData("https://token@git.example.com/a.git", "https://git.example.com/a.git")]
    [InlineData("https://maps.example/cli.js.map?X-Amz-Signature=abc&X-Amz-Expires=60", "https://maps.example/cli.js.map")]
    [InlineData("https://maps.example/cli.js.map#sig=abc", "https://maps.example/cli.js.map")]
    [InlineData("http://127.0.0.1:4873/", "http://127.0.0.1:4873/")]
    public void A_url_loses_user_info_query_and_fragment(string url, string shown)
    {
        Assert.Equal(shown, RedactedUrl.Of(url));
    }

    [Theory]
    [InlineData("fatal: unable to access 'https://ada:s3cret@git.example.com/a.git/': refused",
        "fatal: unable to access 'https://git.example.com/a.git/': refused")]
    [InlineData("could not fetch https://ada:s3@cret@git.example.com/a.git (exit 128)", "could not fetch https://git.example.com/a.git (exit 128)")]
    [InlineData("git:https://ci:p@ss@git.example.com/acme/api.git", "git:https://git.example.com/acme/api.git")]
    [InlineData("GET https://feed.example/index.json?sig=abc failed", "GET https://feed.example/index.json failed")]
    [InlineData("npm:@acme/cli and git@github.com:acme/api.git", "npm:@acme/cli and git@github.com:acme/api.git")]
    public void Urls_quoted_in_text_lose_credentials_and_the_rest_is_kept(string text, string shown)
    {
        Assert.Equal(shown, RedactedUrl.InText(text));
    }
}
