using LeakGuard.Service.Api;

namespace LeakGuard.Service.Tests.Api;

public sealed class ApiKeyTests
{
    [Fact]
    public void A_key_shorter_than_16_characters_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new ApiKey("short-key"));

        Assert.StartsWith("LEAKGUARD_API_KEY must be at least 16 characters long", error.Message);
        Assert.DoesNotContain("short-key", error.Message);
    }

    [Fact]
    public void Only_the_exact_key_matches()
    {
        var key = new ApiKey("lg-test-key-0123456789abcdef");

        Assert.True(key.Matches("lg-test-key-0123456789abcdef"));
        Assert.False(key.Matches("lg-test-key-0123456789abcdeF"));
        Assert.False(key.Matches("lg-test-key-0123456789abcde"));
        Assert.False(key.Matches(""));
    }
}
