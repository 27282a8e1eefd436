using LeakGuard.Sources.Http;
using LeakGuard.Sources.Packages;

namespace LeakGuard.Sources.Tests.Packages;

public class VersionSelectionTests
{
    private static readonly string[] Published = ["2.0.0", "1.0.0", "1.10.0", "1.2.0", "2.1.0-beta.1", "1.2.1"];
    private static readonly Dictionary<string, string> Tags = new() { ["latest"] = "2.0.0", ["next"] = "2.1.0-beta.1" };

    private static IReadOnlyList<string> Select(string spec) => VersionSelection.Select("pkg", "reg", Published, spec, Tags);

    [Fact]
    public void All_is_every_version_in_semver_order() =>
        Assert.Equal(["1.0.0", "1.2.0", "1.2.1", "1.10.0", "2.0.0", "2.1.0-beta.1"], Select("all"));

    [Fact]
    public void An_exact_version_is_itself() => Assert.Equal(["1.2.0"], Select("1.2.0"));

    [Fact]
    public void A_dist_tag_is_the_version_it_points_to() => Assert.Equal(["2.1.0-beta.1"], Select("next"));

    [Theory]
    [InlineData("^1.2.0", new[] { "1.2.0", "1.2.1", "1.10.0" })]
    [InlineData("~1.2.0", new[] { "1.2.0", "1.2.1" })]
    [InlineData(">=1.10.0", new[] { "1.10.0", "2.0.0" })]
    [InlineData("1.x || >=2.1.0-beta.0", new[] { "1.0.0", "1.2.0", "1.2.1", "1.10.0", "2.1.0-beta.1" })]
    public void Ranges_follow_npm_semantics_and_leave_out_prereleases_they_do_not_name(string range, string[] expected) =>
        Assert.Equal(expected, Select(range));

    [Fact]
    public void A_missing_version_names_the_package_and_version()
    {
        var e = Assert.Throws<RegistryException>(() => Select("3.0.0"));
        Assert.StartsWith("pkg@3.0.0 does not exist on reg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_nothing_matches_is_an_error() =>
        Assert.Contains("matches '^3.0.0'", Assert.Throws<RegistryException>(() => Select("^3.0.0")).Message, StringComparison.Ordinal);

    [Fact]
    public void Newest_stable_skips_prereleases_and_is_not_fooled_by_listing_order() =>
        Assert.Equal("2.0.0", VersionSelection.NewestStable(["2.0.0", "10.0.0-rc.1", "1.10.0"]));
}
