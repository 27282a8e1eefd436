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
    public void Fingerprints_are_the_values_index_files_of_this_scheme_hold()
    {
        // Written by the scheme-2 tokenizer and winnower that built the index files in use: a
        // change to the tokens or the hashes that alters these must raise Winnowing.Scheme, or
        // every index built before it silently stops matching. Runs with literals and plain runs
        // fingerprinted by their names are both here.
        string text = string.Join('\n', Enumerable.Range(0, 6).Select(i => $$"""
            function area{{i}}(width, height) { // the area
              const unit = "cm{{i}}";
              return width * height + {{i}} + unit;
            }
            for (const item of self.pending) { total = merge(total, item.weight) ? item.active : skip(total, item.owner); }
            while (self.queue) { self.history.append(take(self.queue, total)); drain(self.queue); }
            """));

        Assert.Equal(2, Winnowing.Scheme);
        Assert.Equal(
        [
            0x230D7207E150571A,
            0x088CC6FDFAEE723D,
            0x11FC28008223C711,
            0x04CF23A7638534B5,
            0x058CB89BD9F9CE1F,
            0x461CB4692FB6B947,
            0x2203BB742A86E5F4,
            0x10B009E8FEC117B5,
            0x075FFDC1BD90E73C,
            0x04B968CF3D2899D5,
            0x401800406CEE03F2,
            0x28F8C76FB21D6766,
            0x088CC6FDFAEE723D,
            0x27B523F668BCCDD6,
            0x2047B02BE852A4A7,
            0x01048FCD3E181886,
            0x16AF3A8A8228A963,
            0x06E26179E20682FB,
            0x00CA01886593F9A2,
            0x182D2B7808256094,
            0x088CC6FDFAEE723D,
            0x0BC8BE4C3D6FAA4F,
            0x0BA3493B320F4896,
            0x07AED4677A5E4419,
            0x044EDBCB4E5AAC4B,
            0x0B72CD0F6CDE0E61,
            0x1C1B8CB494C8A6F2,
            0x4529B4434C47BEBD,
            0x28F8C76FB21D6766,
            0x088CC6FDFAEE723D,
            0x0942E0B8956F8BCE,
            0x13FA4939EC305822,
            0x18DF631A3A4AE91B,
            0x22BF9E2406D248C5,
            0x3F9B489B7C9F3E5D,
            0x31222ACE9C032FAD,
            0x195DB0671ABBAAAC,
            0x1C122C4A6DF0F749,
            0x46C30B86157F165F,
            0x28F8C76FB21D6766,
            0x088CC6FDFAEE723D,
            0x07E6AB9E6E91BF9F,
            0x0DF64C1A2DA899EB,
            0x34B3FDE297525134,
            0x16D18BE35609A4B2,
            0x3F5B8BAC347900C4,
            0x40A3ABE7C968542D,
            0x5167F5DC668898CE,
            0x50436564472854EC,
            0x4381C8ADA50F6613,
            0x3DB5B729623D3243,
            0x1FB37E40D56DB0C0,
            0x088CC6FDFAEE723D,
        ], Of(text).Select(f => f.Hash));
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
    public void Reading_a_text_in_pieces_of_any_size_keeps_the_same_fingerprints()
    {
        // Tokens are winnowed a chunk at a time, the last K tokens and W - 1 runs carried over:
        // pieces shorter than a run, than a window, and prime-sized ones must not change a thing.
        byte[] text = File.ReadAllBytes(Stdlib("textwrap.py"));
        var whole = new List<KeptRun>();
        Winnowing.Fingerprints(text, whole);

        foreach (int chunk in new[] { 1, 7, Winnowing.K - 1, Winnowing.K + Winnowing.W, 997 })
        {
            var pieces = new List<KeptRun>();
            Winnowing.Fingerprints(text, pieces, chunk);
            Assert.Equal(whole, pieces);
        }
        Assert.True(whole.Count > 100, $"{whole.Count} fingerprints");
        // A text of fewer than W runs (50 tokens: 11 runs) keeps the smallest however it is read.
        byte[] shortText = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 5).Select(i => $"if (a{i} == \"s{i}\") return b[{i}];")));
        var one = new List<KeptRun>();
        var bits = new List<KeptRun>();
        Winnowing.Fingerprints(shortText, one);
        Winnowing.Fingerprints(shortText, bits, 5);
        Assert.Single(one);
        Assert.Equal(one, bits);
    }

    [Fact]
    public void A_token_is_on_the_line_it_starts_on_whatever_comments_and_strings_span_before_it()
    {
        // Lines come from the tokens' offsets: an escaped newline inside a string is a line too
        // (the tokenizer once stepped over it uncounted, and every later line was one short).
        const string text = "a\n/* one\ntwo */ b\n'''three\nfour''' c\n\"five \\\nsix\" d\r\n# seven\n\n  e // eight\n`nine\nten` f";
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new List<CodeToken>();
        CodeTokens.Read(bytes, tokens);

        var lines = TextLines.Of(bytes);

        Assert.Equal([1, 3, 4, 5, 6, 7, 10, 11, 12], tokens.Select(t => lines.LineAt(t.Offset)));
        Assert.Equal(tokens.Select(t => lines.LineAt(t.Offset)), tokens.Select(t => text[..t.Offset].Count(c => c == '\n') + 1));
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
