using System.Text;
using LeakGuard.Matching;

namespace LeakGuard.Matching.Tests;

/// <summary>What either engine must do; every test runs on both.</summary>
public class EngineBehaviourTests
{
    private static readonly PatternDefinition GitHub = new("github", @"\b(ghp_[A-Za-z0-9]{36})\b", ["ghp_"]);
    private static readonly PatternDefinition Password = new("password", @"(?i)password\s{0,3}[=:]\s{0,3}""([^""\s]{8,64})""", ["password"]);
    private const string Token = "ghp_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEuG5iK";

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Finds_a_token_and_isolates_its_capture_group(string engine)
    {
        using var e = Engines.Create(engine, GitHub);
        string text = $"const t = \"{Token}\";";
        var m = Assert.Single(Engines.Scan(e, text));
        Assert.Equal(text.IndexOf(Token, StringComparison.Ordinal), m.Start);
        Assert.Equal(Token, Engines.Secret(text, m));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Matches_keywords_without_regard_to_case(string engine)
    {
        using var e = Engines.Create(engine, Password);
        string text = "PassWord = \"Xk9#mQ2!vL7p\"";
        var m = Assert.Single(Engines.Scan(e, text));
        Assert.Equal("Xk9#mQ2!vL7p", Engines.Secret(text, m));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Keywords_of_three_and_of_four_or_more_bytes_are_found_anywhere_in_the_input(string engine)
    {
        // The managed prefilter hashes four bytes for long keywords and three for short ones:
        // each must still see a keyword at the very start and in the last bytes of the input.
        var shortKeyword = new PatternDefinition("pwd", @"(?i)pwd", ["pwd"]);
        var longKeyword = new PatternDefinition("strk", @"(?i)streak_api", ["streak_api"]);
        using var e = Engines.Create(engine, shortKeyword, longKeyword);
        foreach (string text in (string[])["pwd", "PWD and STREAK_API", "x Streak_Api", "streak_apI y pWd", "streak_ap pw streakapi"])
        {
            var expected = new List<(int, int)>();
            foreach (var (keyword, index) in new[] { ("pwd", 0), ("streak_api", 1) })
            {
                for (int at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(keyword, at + 1, StringComparison.OrdinalIgnoreCase))
                {
                    expected.Add((index, at));
                }
            }
            var found = Engines.Scan(e, text).Select(m => (m.PatternIndex, m.Start)).ToList();
            Assert.Equal(expected.OrderBy(x => x.Item2).ThenBy(x => x.Item1), found.OrderBy(x => x.Item2).ThenBy(x => x.Item1));
        }
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Word_boundaries_are_ascii_only(string engine)
    {
        using var e = Engines.Create(engine, GitHub);
        // 0xE9 (é in Latin-1, a UTF-8 continuation byte) is not a word character: the boundary holds.
        byte[] data = [0xE9, .. Encoding.ASCII.GetBytes(Token)];
        Assert.Single(Engines.Scan(e, data));
        // A letter glued to the token breaks it.
        Assert.Empty(Engines.Scan(e, "x" + Token));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Reports_every_occurrence_in_order(string engine)
    {
        using var e = Engines.Create(engine, GitHub);
        string text = string.Join("\n", Enumerable.Range(0, 50).Select(i => $"line {i}: {Token}"));
        var matches = Engines.Scan(e, text);
        Assert.Equal(50, matches.Count);
        Assert.True(matches.Zip(matches.Skip(1)).All(p => p.First.Start < p.Second.Start));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Finds_nothing_in_empty_or_keywordless_input(string engine)
    {
        using var e = Engines.Create(engine, GitHub, Password);
        Assert.Empty(Engines.Scan(e, ""));
        Assert.Empty(Engines.Scan(e, "no secrets here, just text that is long enough to matter"));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Matches_at_the_very_start_and_end_of_the_input(string engine)
    {
        using var e = Engines.Create(engine, GitHub);
        Assert.Single(Engines.Scan(e, Token));
        Assert.Equal(2, Engines.Scan(e, Token + " " + Token).Count);
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Line_anchors_are_multi_line(string engine)
    {
        using var e = Engines.Create(engine, new PatternDefinition("env", @"^SECRET_KEY=([A-Za-z0-9]{12,40})$", ["secret_key"]));
        string text = "A=1\nSECRET_KEY=abcDEF123456xyz\nB=2";
        var m = Assert.Single(Engines.Scan(e, text));
        Assert.Equal("abcDEF123456xyz", Engines.Secret(text, m));
        Assert.Empty(Engines.Scan(e, "A=1 SECRET_KEY=abcDEF123456xyz"));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void A_pattern_is_only_tried_near_its_keywords(string engine)
    {
        // The pattern could match "token=…" but only "api_token" is a keyword: a match must contain it.
        using var e = Engines.Create(engine, new PatternDefinition("t", @"(?:api_)?token=([a-z0-9]{16})", ["api_token"]));
        Assert.Single(Engines.Scan(e, "api_token=0123456789abcdef"));
        Assert.Empty(Engines.Scan(e, "token=0123456789abcdef"));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void A_keyword_just_after_a_match_opens_the_same_window_in_both_engines(string engine)
    {
        // The definition: a match whose start lies within the pattern's width before a keyword
        // occurrence, whether or not it holds it. Hyperscan finds keywords near each end it saw,
        // after the end as well as before it (a built-in rule's "API_KEY"] = "…" met this).
        using var e = Engines.Create(engine, new PatternDefinition("t", @"(?:api_)?token=([a-z0-9]{16,60})", ["api_token"]));
        string text = "token=0123456789abcdef api_token";
        var m = Assert.Single(Engines.Scan(e, text));
        Assert.Equal("0123456789abcdef", Engines.Secret(text, m));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void Overlapping_candidates_give_leftmost_non_overlapping_matches(string engine)
    {
        using var e = Engines.Create(engine, new PatternDefinition("kv", @"key=[a-z]{3,6}", ["key"]));
        string text = "key=abckey=defghi";
        var matches = Engines.Scan(e, text);
        // As Regex over the whole text: the greedy first match swallows the second keyword.
        Assert.Equal(["key=abckey"], matches.Select(m => text.Substring(m.Start, m.Length)));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("hyperscan")]
    public void A_window_longer_than_one_regex_call_is_confirmed_exactly_across_its_pieces(string engine)
    {
        // Keywords every few bytes merge into one window of 300,000 positions, confirmed in pieces
        // of 65,536: tokens straddling every piece boundary must be found as a whole-text search finds them.
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            text.Append("ghp_ ghp_x ");
            if (text.Length % WindowConfirmer.PieceLength > WindowConfirmer.PieceLength - 60)
            {
                text.Append(Token).Append(' ');
            }
        }
        string all = text.ToString();
        using var e = Engines.Create(engine, GitHub);

        var found = Engines.Scan(e, all).Select(m => m.SecretStart).ToList();

        var expected = new System.Text.RegularExpressions.Regex(GitHub.Pattern, System.Text.RegularExpressions.RegexOptions.ECMAScript)
            .Matches(all).Select(m => m.Groups[1].Index).ToList();
        Assert.True(expected.Count >= 4, $"{expected.Count} tokens planted");
        Assert.Equal(expected, found);
    }
}

