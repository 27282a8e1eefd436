using System.Text;
using LeakGuard.Core.Scanning;
using LeakGuard.Core.Tests.Support;
using LeakGuard.Matching;
using LeakGuard.Tests.Shared;

namespace LeakGuard.Core.Tests.Scanning;

/// <summary>
/// One bad item is one warning (issue 11, item 1): whatever a parser throws on crafted input costs
/// the blob it came from and nothing else. The crafted inputs are the cases the security review
/// found; each sits next to a file holding a token that must still be found.
/// </summary>
public class FailureIsolationTests
{
    private const string Token = CoreTestKit.GitHubToken;

    private static readonly byte[] Beside = Encoding.ASCII.GetBytes($"const token = \"{Token}\";\n");

    /// <summary>A source map whose strings break System.Text.Json: a lone surrogate escape, or a
    /// byte that is not UTF-8, in a source's name or in its embedded content.</summary>
    public static TheoryData<string, byte[]> BrokenMapStrings() => new()
    {
        { "lone surrogate in a name", Encoding.ASCII.GetBytes("""{"version":3,"mappings":"AAAA","sources":["src/\udc00.ts"],"sourcesContent":["x"]}""") },
        { "lone surrogate in content", Encoding.ASCII.GetBytes("""{"version":3,"mappings":"AAAA","sources":["src/a.ts"],"sourcesContent":["x\udc00y"]}""") },
        { "invalid UTF-8 in a name", [.. """{"version":3,"mappings":"AAAA","sources":["src/"""u8, 0xFF, .. """.ts"],"sourcesContent":["x"]}"""u8] },
        { "invalid UTF-8 in content", [.. """{"version":3,"mappings":"AAAA","sources":["src/a.ts"],"sourcesContent":["x"""u8, 0xFF, .. """y\n"]}"""u8] },
    };

    [Theory]
    [MemberData(nameof(BrokenMapStrings))]
    public void A_source_map_string_that_cannot_be_decoded_costs_only_that_map(string what, byte[] map)
    {
        var result = CoreTestKit.Scan(null, ("dist/app.js.map", map), ("dist/token.js", Beside));

        Assert.True(result.Findings.Any(f => f.Location.Path == "dist/token.js"), what);
        Assert.All(result.Warnings, w => Assert.StartsWith("dist/app.js.map", w.Path, StringComparison.Ordinal));
        Assert.True(result.Warnings.Count <= 1, string.Join("\n", result.Warnings));
    }

    [Theory]
    [InlineData("pkg.tar")]
    [InlineData("pkg.tgz")]
    public void A_tar_header_whose_base256_size_overflows_costs_only_what_follows_it(string name)
    {
        byte[] archive = TarWithOverflowingHeader(name.EndsWith(".tgz", StringComparison.Ordinal));

        var result = CoreTestKit.Scan(null, (name, archive), ("beside.js", Beside));

        Assert.Contains(result.Findings, f => f.Location.Path == "beside.js");
        // The member before the damaged header was read before it.
        Assert.Contains(result.Findings, f => f.Location.Path == $"{name}!package/a-token.js");
        Assert.All(result.Warnings, w => Assert.Equal(name, w.Path));
        Assert.True(result.Warnings.Count <= 1, string.Join("\n", result.Warnings));
    }

    [Fact]
    public void A_nested_archive_that_breaks_its_reader_costs_only_that_member_of_the_outer_one()
    {
        string dir = CoreTestKit.TempDirectory();
        File.WriteAllBytes(Path.Join(dir, "bad.tgz"), TarWithOverflowingHeader(gzip: true));
        File.WriteAllText(Path.Join(dir, "z-after.js"), $"const t = \"{Token}\";\n");
        CoreTestKit.Run(dir, "zip", "-q", "bundle.zip", "bad.tgz", "z-after.js");

        var result = CoreTestKit.Scan(null, ("bundle.zip", File.ReadAllBytes(Path.Join(dir, "bundle.zip"))));

        Assert.Contains(result.Findings, f => f.Location.Path == "bundle.zip!z-after.js");
        Assert.Contains(result.Findings, f => f.Location.Path == "bundle.zip!bad.tgz!package/a-token.js");
        Assert.All(result.Warnings, w => Assert.Equal("bundle.zip!bad.tgz", w.Path));
    }

    [Fact]
    public void An_exception_from_one_member_is_one_warning_naming_the_member_and_the_exception_type()
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "package"));
        foreach (string file in new[] { "a.js", "b.js", "c.js" })
        {
            File.WriteAllText(Path.Join(dir, "package", file), $"const t = \"{Token}\";\n");
        }
        CoreTestKit.Run(dir, "tar", "-czf", "pkg.tgz", "package/a.js", "package/b.js", "package/c.js");
        // An observer sees every member first: the stand-in for any code that fails on one blob.
        var failing = new ThrowingObserver("pkg.tgz!package/b.js");

        var result = Scan(failing,
            SourceItem.InMemory(new Blob { Path = "pkg.tgz", Content = File.ReadAllBytes(Path.Join(dir, "pkg.tgz")) }),
            SourceItem.InMemory(new Blob { Path = "beside.js", Content = Beside }));

        Assert.Equal(["beside.js", "pkg.tgz!package/a.js", "pkg.tgz!package/c.js"], result.Findings.Select(f => f.Location.Path));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("pkg.tgz!package/b.js", warning.Path);
        Assert.Contains("InvalidOperationException: crafted input", warning.Message);
    }

    [Fact]
    public void An_item_that_throws_while_it_is_opened_is_one_warning_and_the_others_are_scanned()
    {
        var broken = new SourceItem { Path = "broken.js", Open = () => throw new InvalidOperationException("no stream for you") };

        var result = Scan(null, broken, SourceItem.InMemory(new Blob { Path = "beside.js", Content = Beside }));

        Assert.Equal("beside.js", Assert.Single(result.Findings).Location.Path);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("broken.js", warning.Path);
        Assert.Contains("InvalidOperationException: no stream for you", warning.Message);
    }

    private static ScanResult Scan(IBlobObserver? observer, params SourceItem[] items)
    {
        var rules = CoreTestKit.Rules();
        using var engine = MatchEngineFactory.Create(EngineKind.Managed, rules.Patterns, cacheDirectory: null);
        return new Scanner(rules, engine, new ScanOptions(), observer).Run(items);
    }

    /// <summary>A tar made by the real tar (package/a-token.js holding a token, then package/b.txt),
    /// whose second header's size field is a base-256 number too large for any integer; gzipped by
    /// the real gzip when asked.</summary>
    private static byte[] TarWithOverflowingHeader(bool gzip)
    {
        string dir = CoreTestKit.TempDirectory();
        Directory.CreateDirectory(Path.Join(dir, "package"));
        File.WriteAllText(Path.Join(dir, "package", "a-token.js"), $"const t = \"{Token}\";\n");
        File.WriteAllText(Path.Join(dir, "package", "b.txt"), "after the damage\n");
        CoreTestKit.Run(dir, "tar", "--format=ustar", "-cf", "pkg.tar", "package/a-token.js", "package/b.txt");
        byte[] tar = File.ReadAllBytes(Path.Join(dir, "pkg.tar"));
        CraftedTar.OverflowSize(tar, "package/b.txt");
        File.WriteAllBytes(Path.Join(dir, "pkg.tar"), tar);
        if (!gzip)
        {
            return tar;
        }
        CoreTestKit.Run(dir, "gzip", "pkg.tar");
        return File.ReadAllBytes(Path.Join(dir, "pkg.tar.gz"));
    }

    private sealed class ThrowingObserver(string path) : IBlobObserver
    {
        public void Observe(Blob blob)
        {
            if (blob.Path == path)
            {
                throw new InvalidOperationException("crafted input");
            }
        }
    }
}
