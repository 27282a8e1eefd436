using System.Text;
using System.Text.Json;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Npm;

namespace LeakGuard.Sources.Tests.Npm;

public class NpmScopeListingTests
{
    private const string Registry = "https://npm.example/";

    private readonly List<(string Text, int From)> _asked = [];
    private readonly List<(string Target, string Message)> _warnings = [];

    /// <summary>A search answer in the shape npm documents: <c>{"objects":[{"package":{"name":…}}],"total":N}</c>.</summary>
    private static byte[] Answer(long? total, params string[] names)
    {
        var objects = names.Select(n => new Dictionary<string, object> { ["package"] = new Dictionary<string, string> { ["name"] = n, ["version"] = "1.0.0" } });
        var answer = new Dictionary<string, object> { ["objects"] = objects };
        if (total is not null)
        {
            answer["total"] = total;
        }
        return JsonSerializer.SerializeToUtf8Bytes(answer);
    }

    /// <summary>Serves the pages of each query text by their offset; an offset with no page is an empty answer.</summary>
    private IReadOnlyList<string> List(Dictionary<(string Text, int From), byte[]> pages) =>
        NpmScopeListing.List("@acme", Registry, (text, from) =>
        {
            _asked.Add((text, from));
            return pages.TryGetValue((text, from), out byte[]? body) ? body : Answer(0);
        }, (target, message) => _warnings.Add((target, message)));

    [Fact]
    public void Scope_pages_are_followed_until_the_total_and_only_valid_names_in_the_scope_are_kept()
    {
        var names = List(new()
        {
            [("scope:acme", 0)] = Answer(6, "@acme/cli", "@other/cli", "@acme/a b"),
            [("scope:acme", 3)] = Answer(6, "@acmeish/x", "@acme/api", "@acme/cli"),
        });

        Assert.Equal(["@acme/api", "@acme/cli"], names);
        Assert.Equal([("scope:acme", 0), ("scope:acme", 3)], _asked);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Scope_entries_without_a_package_name_and_names_npm_would_refuse_are_dropped()
    {
        byte[] odd = Encoding.UTF8.GetBytes("""
            {"objects":[1, {"package":null}, {"package":{"name":42}}, {"package":{"name":"@acme/../../etc"}},
                        {"package":{"name":"@acme/"}}, {"package":{"name":"@acme/ok"}}], "total": 6}
            """);

        Assert.Equal(["@acme/ok"], List(new() { [("scope:acme", 0)] = odd }));
    }

    [Fact]
    public void Scope_listing_stops_at_an_empty_page_even_when_the_total_claims_more()
    {
        var names = List(new() { [("scope:acme", 0)] = Answer(1000, "@acme/a", "@acme/b") });

        Assert.Equal(["@acme/a", "@acme/b"], names);
        Assert.Equal([("scope:acme", 0), ("scope:acme", 2)], _asked);
    }

    [Fact]
    public void Scope_without_qualifier_support_is_listed_by_searching_its_prefix()
    {
        // Verdaccio 5.33 matches "scope:acme" as a substring of names and finds nothing.
        var names = List(new() { [("@acme/", 0)] = Answer(3, "@acme/b", "@other/mentions-acme", "@acme/a") });

        Assert.Equal(["@acme/a", "@acme/b"], names);
        Assert.Equal([("scope:acme", 0), ("@acme/", 0)], _asked);
    }

    [Fact]
    public void Scope_found_through_the_qualifier_is_not_searched_again()
    {
        List(new() { [("scope:acme", 0)] = Answer(1, "@acme/a") });

        Assert.Equal([("scope:acme", 0)], _asked);
    }

    [Fact]
    public void Scope_with_no_packages_is_an_empty_list_after_both_queries()
    {
        Assert.Empty(List(new()));
        Assert.Equal([("scope:acme", 0), ("@acme/", 0)], _asked);
    }

    [Fact]
    public void Scope_listing_is_cut_at_the_package_bound_with_a_warning()
    {
        int served = 0;
        var names = NpmScopeListing.List("@acme", Registry, (_, _) =>
        {
            var page = Enumerable.Range(served, NpmScopeListing.PageSize).Select(i => $"@acme/p{i:D6}").ToArray();
            served += page.Length;
            return Answer(1_000_000, page);
        }, (target, message) => _warnings.Add((target, message)));

        Assert.Equal(NpmScopeListing.MaxPackages, names.Count);
        Assert.Equal(NpmScopeListing.MaxPackages, served);
        var warning = Assert.Single(_warnings);
        Assert.Equal("@acme/*", warning.Target);
        Assert.Contains("listing stopped after 40 pages", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_listing_is_cut_at_the_page_bound_with_a_warning()
    {
        int pages = 0;
        var names = NpmScopeListing.List("@acme", Registry, (_, _) =>
        {
            pages++;
            // One name of the scope per page, the rest elsewhere: fuzzy search at its worst.
            var page = Enumerable.Range(0, NpmScopeListing.PageSize).Select(i => i == 0 ? $"@acme/p{pages}" : $"noise-{pages}-{i}").ToArray();
            return Answer(1_000_000, page);
        }, (target, message) => _warnings.Add((target, message)));

        Assert.Equal(NpmScopeListing.MaxPages, pages);
        Assert.Equal(NpmScopeListing.MaxPages, names.Count);
        Assert.Contains("listing stopped after 50 pages", Assert.Single(_warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_answer_that_calls_one_full_page_the_total_is_warned_about()
    {
        // Verdaccio 5's answer when a scope has more packages than one page holds.
        var page = Enumerable.Range(0, NpmScopeListing.PageSize).Select(i => $"@acme/p{i:D3}").ToArray();

        var names = List(new() { [("scope:acme", 0)] = Answer(NpmScopeListing.PageSize, page) });

        Assert.Equal(NpmScopeListing.PageSize, names.Count);
        Assert.Contains("may hold more packages in @acme", Assert.Single(_warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_answer_without_a_total_ends_at_a_short_page()
    {
        var full = Enumerable.Range(0, NpmScopeListing.PageSize).Select(i => $"@acme/p{i:D3}").ToArray();

        var names = List(new()
        {
            [("scope:acme", 0)] = Answer(null, full),
            [("scope:acme", NpmScopeListing.PageSize)] = Answer(null, "@acme/zz"),
        });

        Assert.Equal(NpmScopeListing.PageSize + 1, names.Count);
        Assert.Equal(2, _asked.Count);
    }

    [Theory]
    [InlineData("<html>Service Unavailable</html>", "that is not JSON")]
    [InlineData("""{"objects": 3, "total": 1}""", "without an \"objects\" list")]
    [InlineData("""[{"package":{"name":"@acme/a"}}]""", "without an \"objects\" list")]
    public void Scope_search_answers_that_are_garbage_are_a_registry_error_naming_registry_and_scope(string body, string why)
    {
        var error = Assert.Throws<RegistryException>(() => List(new() { [("scope:acme", 0)] = Encoding.UTF8.GetBytes(body) }));

        Assert.Contains(Registry, error.Message, StringComparison.Ordinal);
        Assert.Contains("@acme", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
