using System.Text;
using LeakGuard.Core.Expansion.Decoding;
using static LeakGuard.Core.Tests.Expansion.DecoderRun;

namespace LeakGuard.Core.Tests.Expansion;

public sealed class Base64DecoderTests
{
    private const string Text = "LEAKGUARD_TOKEN=lgt_Zq8vJ2mT4kLp9Xw1cR7nB3dF6hYs0aEu\n";

    private readonly Base64Decoder _decoder = new();

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(40)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Finds_a_run_wherever_it_falls_among_the_blocks_skipped_as_quiet(int padding)
    {
        // Plain prose (words shorter than 24 symbols) before and after, so the SIMD skip is exercised.
        string prose = padding == 0 ? "" : string.Concat(Enumerable.Repeat("a word, ", padding / 8 + 1))[..(padding - 1)] + " ";
        var child = Assert.Single(On(_decoder, $"{prose}{Encode(Text)} and more words, here. {prose}"));

        Assert.Equal(Text, TextOf(child));
        Assert.Equal(padding, ToOriginal(child, 0));
    }

    [Fact]
    public void Decodes_a_standard_base64_run_of_text()
    {
        var child = Assert.Single(On(_decoder, $"config: \"{Encode(Text)}\""));

        Assert.Equal(Text, TextOf(child));
    }

    [Fact]
    public void Decodes_a_url_safe_base64_run_of_text()
    {
        const string text = "password >>> ??? ~~~ <<< done";
        string encoded = Encode(text);
        Assert.True(encoded.Contains('+', StringComparison.Ordinal) && encoded.Contains('/', StringComparison.Ordinal), encoded);

        var child = Assert.Single(On(_decoder, encoded.Replace('+', '-').Replace('/', '_')));

        Assert.Equal(text, TextOf(child));
    }

    [Fact]
    public void Decodes_a_run_without_padding()
    {
        string encoded = Encode(Text).TrimEnd('=');

        var child = Assert.Single(On(_decoder, $"value={encoded};"));

        Assert.Equal(Text, TextOf(child));
    }

    [Fact]
    public void Decodes_a_run_of_exactly_the_minimum_length()
    {
        string encoded = Encode("password=Hunter2!!");
        Assert.Equal(Base64Decoder.MinRunLength, encoded.Length);

        var child = Assert.Single(On(_decoder, encoded));

        Assert.Equal("password=Hunter2!!", TextOf(child));
    }

    [Fact]
    public void Ignores_a_run_shorter_than_the_minimum()
    {
        string encoded = Encode("password=Hunter2!").TrimEnd('=');
        Assert.Equal(Base64Decoder.MinRunLength - 1, encoded.Length);

        Assert.Empty(On(_decoder, encoded));
    }

    [Fact]
    public void Decodes_each_of_two_padded_runs_that_touch()
    {
        string first = Encode("first: lgt_Zq8vJ2mT4kLp9X");
        string second = Encode("second: lgt_w1cR7nB3dF6hYs");
        Assert.EndsWith("=", first, StringComparison.Ordinal);

        var children = On(_decoder, first + second);

        Assert.Equal(["first: lgt_Zq8vJ2mT4kLp9X", "second: lgt_w1cR7nB3dF6hYs"], children.Select(TextOf));
    }

    [Fact]
    public void Decodes_what_precedes_a_dangling_final_symbol()
    {
        const string text = "password=Hunter2!!password=Hunter2!!password=Hunter2!!";
        string encoded = Encode(text);
        Assert.Equal(0, encoded.Length % 4);

        // One symbol past a whole quantum carries 6 bits: too few for a byte.
        var child = Assert.Single(On(_decoder, encoded + "Q"));

        Assert.Equal(text, TextOf(child));
    }

    [Fact]
    public void Maps_each_decoded_offset_to_the_symbol_its_bits_begin_in()
    {
        const string prefix = "# settings\ntoken: ";

        var child = Assert.Single(On(_decoder, prefix + Encode(Text)));

        // Bytes 3n, 3n+1 and 3n+2 begin in symbols 4n, 4n+1 and 4n+2 of their quantum.
        int last = Text.Length - 1;
        Assert.Equal(
            [prefix.Length, prefix.Length + 1, prefix.Length + 2, prefix.Length + 4, prefix.Length + 28, prefix.Length + (last / 3 * 4) + (last % 3)],
            [ToOriginal(child, 0), ToOriginal(child, 1), ToOriginal(child, 2), ToOriginal(child, 3), ToOriginal(child, 21), ToOriginal(child, last)]);
        Assert.Equal(Encode(Text.Substring(21, 3)), (prefix + Encode(Text)).Substring(ToOriginal(child, 21), 4));
    }

    [Fact]
    public void Names_its_method()
    {
        var child = Assert.Single(On(_decoder, Encode(Text)));

        Assert.Equal("base64", child.DecodedFrom!.Method);
    }

    [Fact]
    public void Rejects_base64_of_random_bytes()
    {
        var random = new Random(7);
        var bytes = new byte[96];
        random.NextBytes(bytes);

        Assert.Empty(On(_decoder, Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Rejects_decoded_text_that_contains_a_nul()
    {
        string encoded = Convert.ToBase64String([.. Encoding.ASCII.GetBytes("printable text all around it "), 0, .. Encoding.ASCII.GetBytes(" and more text")]);

        Assert.Empty(On(_decoder, encoded));
    }

    [Fact]
    public void Keeps_text_with_a_few_non_ascii_bytes()
    {
        const string text = "Grüße aus Köln: password=Hunter2, and a few more plain words to read";

        var child = Assert.Single(On(_decoder, Encode(text)));

        Assert.Equal(text, TextOf(child));
    }

    [Fact]
    public void Rejects_mostly_non_ascii_text()
    {
        Assert.Empty(On(_decoder, Encode("ÄÖÜäöüßÄÖÜäöüßÄÖÜäöüß ok")));
    }

    // The next three runs decode to printable ASCII, so only the shape filters keep them out.

    [Fact]
    public void Skips_a_mixed_case_hex_run()
    {
        string hex = string.Concat(Enumerable.Repeat("a0B0", 10));
        Assert.Equal(string.Concat(Enumerable.Repeat("k@t", 10)), Encoding.ASCII.GetString(Convert.FromBase64String(hex)));

        Assert.Empty(On(_decoder, hex));
    }

    [Fact]
    public void Skips_a_run_without_upper_case_letters()
    {
        string lower = string.Concat(Enumerable.Repeat("dicz", 10));
        Assert.Equal(string.Concat(Enumerable.Repeat("v'3", 10)), Encoding.ASCII.GetString(Convert.FromBase64String(lower)));

        Assert.Empty(On(_decoder, lower));
    }

    [Fact]
    public void Skips_a_run_that_mixes_the_standard_and_url_safe_alphabets()
    {
        const string text = "password >>> ??? ~~~ <<< done";
        string mixed = Encode(text).Replace('/', '_');
        Assert.Contains("+", mixed, StringComparison.Ordinal);

        Assert.Empty(On(_decoder, mixed));
    }

    [Theory]
    [InlineData("====")]
    [InlineData("=")]
    [InlineData("Zm9v=YmFy==YmF6===")]
    [InlineData("-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_")]
    [InlineData("++++////++++////++++////++++////")]
    public void Emits_nothing_for_symbol_soup(string text)
    {
        Assert.Empty(On(_decoder, text));
    }

    [Fact]
    public void Yields_at_most_the_child_limit_from_a_blob_of_many_runs()
    {
        // Each after a key: lines of bare base64 of one width would be one wrapped value.
        var lines = Enumerable.Range(0, Base64Decoder.MaxChildrenPerBlob + 100).Select(i => "v: " + Encode($"line {i:D5}: password=Hunter2 and some text"));
        string text = string.Join('\n', lines);

        Assert.Equal(Base64Decoder.MaxChildrenPerBlob, On(_decoder, text).Count);
    }

    [Fact]
    public void Decodes_a_run_longer_than_the_piece_limit_in_pieces_that_each_point_at_their_start()
    {
        string encoded = Encode(string.Concat(Enumerable.Repeat("password=Hunter2 ", Base64Decoder.MaxRunLength / 20)));
        Assert.InRange(encoded.Length, Base64Decoder.MaxRunLength + Base64Decoder.MinRunLength, 2 * Base64Decoder.MaxRunLength);

        var children = On(_decoder, "k: " + encoded);

        Assert.Equal([3, 3 + Base64Decoder.MaxRunLength], children.Select(c => ToOriginal(c, 0)));
    }

    [Fact]
    public void Stops_decoding_once_a_blob_has_yielded_the_decoded_byte_limit()
    {
        string encoded = Encode(string.Concat(Enumerable.Repeat("password=Hunter2 ", Base64Decoder.MaxDecodedBytesPerBlob / 16)));

        var children = On(_decoder, encoded);

        long decoded = children.Sum(c => (long)c.Content.Length);
        Assert.InRange(decoded, Base64Decoder.MaxDecodedBytesPerBlob - Base64Decoder.MaxRunLength, Base64Decoder.MaxDecodedBytesPerBlob);
    }
}
