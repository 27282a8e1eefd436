using LeakGuard.Core.Rules;

namespace LeakGuard.Validation.Tests;

/// <summary>A rule's validate block is checked when it loads: a secret can only ever be sent over
/// HTTPS to the host the rule names, with a request that reads.</summary>
public sealed class ValidatorSpecTests
{
    [Theory]
    [InlineData("url: http://api.github.com/user\nheaders: {Authorization: 'Bearer {{secret}}'}", "must be an absolute https:// URL")]
    [InlineData("url: 'https://{{secret}}.example.com/user'", "may appear only in the path or query")]
    [InlineData("url: 'https://user:{{secret}}@example.com/user'", "may appear only in the path or query")]
    [InlineData("method: DELETE\nurl: 'https://api.example.com/{{secret}}'", "must be GET, HEAD or POST")]
    [InlineData("url: https://api.example.com/user", "sends no {{secret}}")]
    [InlineData("url: 'https://api.example.com/{{secret}}'\nsigner: md5", "must be aws-sigv4")]
    [InlineData("url: 'https://{{pair}}.example.com/{{secret}}'\npair: test.id", "may appear only in the path or query")]
    [InlineData("url: 'https://api.example.com/{{pair}}/{{secret}}'", "exactly when it names a pair and no signer")]
    [InlineData("url: 'https://api.example.com/{{secret}}'\npair: test.id", "exactly when it names a pair and no signer")]
    [InlineData("secret_is_url: true\nurl: https://hooks.example.com", "secret_is_url needs a url ending in '/'")]
    [InlineData("secret_is_url: true\nurl: 'https://hooks.example.com/{{secret}}/'", "secret_is_url needs a url ending in '/'")]
    [InlineData("host_pair: test.host\nurl: 'https://localhost/{{secret}}'", "host_pair needs a url whose host has at least two labels")]
    [InlineData("host_pair: test.host\nsites: ['https://eu.example.com/{{secret}}']\nurl: 'https://example.com/{{secret}}'", "host_pair needs a url whose host has at least two labels, and no signer or sites")]
    public void A_validator_that_could_send_a_secret_elsewhere_or_change_something_is_refused(string validate, string message)
    {
        var e = Assert.Throws<RuleLoadException>(() => HttpValidatorTests.Spec(validate));
        Assert.Contains(message, e.Message);
        Assert.Contains("rule 'test.token'", e.Message);
    }

    [Fact]
    public void Defaults_are_a_GET_live_on_200_and_invalid_on_401()
    {
        var spec = HttpValidatorTests.Spec("url: 'https://api.example.com/check?key={{secret}}'");
        Assert.Equal(("GET", "api.example.com"), (spec.Method, spec.Url.Host));
        Assert.Equal([200], spec.Live);
        Assert.Equal([401], spec.Invalid);
    }

    [Fact]
    public void A_secret_in_a_query_right_after_the_host_is_not_taken_for_part_of_the_host()
    {
        var spec = HttpValidatorTests.Spec("url: 'https://api.example.com?key={{secret}}'");
        Assert.Equal("api.example.com", spec.Url.Host);
    }

    [Fact]
    public void Every_built_in_validator_calls_its_provider_over_https()
    {
        var validators = RuleLoader.LoadBuiltIn().Where(r => r.Validator is not null).ToList();
        Assert.True(validators.Count >= 40, $"{validators.Count} built-in validators");
        Assert.All(validators, rule =>
        {
            Assert.Equal("https", rule.Validator!.Url.Scheme);
            Assert.DoesNotContain("{{", rule.Validator.Url.Host);
            Assert.NotNull(rule.Pattern);
        });
    }
}
