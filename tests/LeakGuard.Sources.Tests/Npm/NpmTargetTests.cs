using LeakGuard.Sources.Npm;

namespace LeakGuard.Sources.Tests.Npm;

public class NpmTargetTests
{
    private static NpmTarget Parse(string target) =>
        NpmTarget.TryParse(target, out string reason) ?? throw new Xunit.Sdk.XunitException($"{target} rejected: {reason}");

    [Fact]
    public void A_whole_scope_without_a_version_is_the_latest_of_each_package()
    {
        var target = Parse("npm:@acme/*");
        Assert.Equal("@acme/*", target.Name);
        Assert.Equal("latest", target.Spec);
        Assert.Equal("@acme", target.Scope);
    }

    [Theory]
    [InlineData("npm:@acme/*@all", "all")]
    [InlineData("npm:@acme/*@^2.0.0", "^2.0.0")]
    [InlineData("npm:@acme/*@next", "next")]
    public void A_whole_scope_takes_the_version_spec_after_the_star(string text, string spec)
    {
        var target = Parse(text);
        Assert.Equal("@acme", target.Scope);
        Assert.Equal(spec, target.Spec);
    }

    [Fact]
    public void A_package_in_a_scope_is_not_a_whole_scope()
    {
        var target = Parse("npm:@acme/cli@2.1.0");
        Assert.Equal("@acme/cli", target.Name);
        Assert.Equal("2.1.0", target.Spec);
        Assert.Null(target.Scope);
    }

    [Theory]
    [InlineData("npm:acme/*")]
    [InlineData("npm:*")]
    [InlineData("npm:@acme/x*")]
    [InlineData("npm:@acme/*x")]
    [InlineData("npm:@/*")]
    [InlineData("npm:@acme/*/cli")]
    public void Stars_other_than_a_whole_scope_are_rejected_naming_the_scope_form(string text)
    {
        Assert.Null(NpmTarget.TryParse(text, out string reason));
        Assert.Contains("not an npm package name or a whole scope such as @acme/*", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_scope_with_an_empty_version_is_rejected()
    {
        Assert.Null(NpmTarget.TryParse("npm:@acme/*@", out string reason));
        Assert.Contains("empty or too long", reason, StringComparison.Ordinal);
    }
}
