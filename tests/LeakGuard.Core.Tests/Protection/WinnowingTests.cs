using System.Text;
using LeakGuard.Core.Protection;

namespace LeakGuard.Core.Tests.Protection;

public sealed class WinnowingTests
{
    private static string Stdlib(string file) => Directory.GetDirectories("/usr/lib", "python3.*").Select(d => Path.Join(d, file)).First(File.Exists);

    private static List<CodeFingerprint> Of(string text) => Winnowing.Of(Encoding.UTF8.GetBytes(text));

    private static ulong[] Hashes(string text)
    {
        var tokens = new List<CodeToken>();
        CodeTokens.Read(Encoding.UTF8.GetBytes(text), tokens);
        return [.. tokens.Select(t => t.Hash)];
    }

    [Fact]
    public void Real_code_gives_fingerprints_with_lines_inside_the_text()
    {
        string text = File.ReadAllText(Stdlib("textwrap.py"));
        int lines = text.Split('\n').Length;

        var fingerprints = Of(text);

        Assert.True(fingerprints.Count > 50, $"{fingerprints.Count} fingerprints");
        Assert.All(fingerprints, f => Assert.InRange(f.StartLine, 1, lines));
        Assert.All(fingerprints, f => Assert.InRange(f.EndLine, f.StartLine, lines));
    }

    [Fact]
    public void Layout_comments_and_names_do_not_change_the_tokens_but_literals_and_keywords_do()
    {
        const string original = "function area(width, height) { // the area\n  return width * height + \"cm\";\n}\n";
        const string rewritten = "/* renamed */ function a(b,c){return b*c+'cm';}";

        Assert.Equal(Hashes(original), Hashes(rewritten));
        Assert.NotEqual(Hashes(original), Hashes(original.Replace("\"cm\"", "\"mm\"", StringComparison.Ordinal)));
        Assert.NotEqual(Hashes(original), Hashes(original.Replace("return", "yield", StringComparison.Ordinal)));
        Assert.NotEqual(Hashes(original), Hashes(original.Replace("* height", "* 2", StringComparison.Ordinal)));
    }

    [Fact]
    public void Python_comments_are_dropped_and_docstrings_kept()
    {
        Assert.Equal(Hashes("x = 1  # one\n"), Hashes("x = 1\n"));
        Assert.NotEqual(Hashes("def f():\n    \"\"\"Says hi.\"\"\"\n"), Hashes("def f():\n    \"\"\"Says bye.\"\"\"\n"));
    }

    [Fact]
    public void Plain_code_without_literals_is_fingerprinted_by_its_names_so_a_verbatim_copy_matches_and_a_renamed_one_does_not()
    {
        // Plain code: no string or number in any run of K tokens.
        string plain = string.Join('\n', Enumerable.Range(0, 8).Select(i => $$"""
            for item in self.pending:
                total = merge(total, item.weight) if item.active else skip(total, item.owner)
                self.history.append(total)
            """));
        string renamed = plain.Replace("pending", "queue", StringComparison.Ordinal).Replace("weight", "size", StringComparison.Ordinal);

        var fingerprints = Of(plain).Select(f => f.Hash).ToHashSet();
        Assert.NotEmpty(fingerprints);
        Assert.True(fingerprints.SetEquals(Of(plain.Replace("    ", "  ", StringComparison.Ordinal)).Select(f => f.Hash)), "layout changed them");
        Assert.False(fingerprints.Overlaps(Of(renamed).Select(f => f.Hash)), "renamed plain code still matched");
        // The same run with a literal is normalised: renaming leaves it alone.
        string literal = plain.Replace("item.weight", "item.weight, 'kg'", StringComparison.Ordinal);
        Assert.True(Of(literal).Select(f => f.Hash).ToHashSet().SetEquals(Of(literal.Replace("pending", "queue", StringComparison.Ordinal)).Select(f => f.Hash)));
    }

    [Fact]
    public void A_run_of_few_names_without_literals_is_not_fingerprinted()
    {
        // Structure enough, but two names over and over: nothing that says whose code it is.
        string table = string.Join('\n', Enumerable.Range(0, 30).Select(_ => "x.y = x[y] + x if y else -x"));
        Assert.Empty(Of(table));
    }

    [Fact]
    public void A_shared_passage_shares_fingerprints_whatever_surrounds_it()
    {
        string passage = string.Join('\n', File.ReadAllText(Stdlib("shlex.py")).Split('\n')[100..140]);
        var alone = Of(passage).Select(f => f.Hash).ToHashSet();
        var inside = Of("import os\nprint('before', 1)\n" + passage + "\nprint('after', 2)\n").Select(f => f.Hash).ToHashSet();

        Assert.NotEmpty(alone);
        Assert.True(alone.Overlaps(inside));
    }

    [Fact]
    public void Lists_of_names_and_code_without_literals_give_no_fingerprints()
    {
        string names = "foo(" + string.Join(", ", Enumerable.Range(0, 200).Select(i => $"name{i}")) + ")\n";
        string plain = string.Concat(Enumerable.Range(0, 50).Select(i => $"a{i}.b(c, d);\n"));

        Assert.Empty(Of(names));
        Assert.Empty(Of(plain));
    }

    [Fact]
    public void Hostile_text_costs_one_pass_and_never_throws()
    {
        foreach (string text in new[] { "\"unclosed string", "/* unclosed comment", "'''", "`template ${", "#", "\\", new string('"', 10_001), "café = 'x'" })
        {
            Assert.NotNull(Of(text));
            Assert.NotNull(Of(string.Concat(Enumerable.Repeat(text + "\n", 2000))));
        }
    }
}
