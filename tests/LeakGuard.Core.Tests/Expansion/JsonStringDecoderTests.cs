using LeakGuard.Core.Expansion.Decoding;
using static LeakGuard.Core.Tests.Expansion.DecoderRun;

namespace LeakGuard.Core.Tests.Expansion;

public sealed class JsonStringDecoderTests
{
    private readonly JsonStringDecoder _decoder = new();

    [Fact]
    public void Decodes_the_short_escapes_to_the_characters_they_stand_for()
    {
        var child = Assert.Single(On(_decoder, @"a\nb\rc\td\""e\\f\/g"));

        Assert.Equal("a\nb\rc\td\"e\\f/g", TextOf(child));
    }

    [Fact]
    public void Decodes_a_unicode_escape_to_utf8()
    {
        var child = Assert.Single(On(_decoder, @"caf\u00e9 \u20AC"));

        Assert.Equal("café €", TextOf(child));
    }

    [Fact]
    public void Joins_a_surrogate_pair_into_one_four_byte_utf8_character()
    {
        var child = Assert.Single(On(_decoder, @"\uD83D\uDE00"));

        Assert.Equal([0xF0, 0x9F, 0x98, 0x80], child.Content.ToArray());
    }

    [Fact]
    public void Turns_a_pem_key_in_a_json_value_into_multi_line_text()
    {
        const string json = """{"key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"}""";

        var child = Assert.Single(On(_decoder, json));

        Assert.Equal("{\"key\": \"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n\"}", TextOf(child));
    }

    [Fact]
    public void Emits_nothing_when_the_blob_has_no_escapes()
    {
        Assert.Empty(On(_decoder, """{"name": "leakguard", "private": true}"""));
    }

    [Theory]
    [InlineData(@"C:\Users\x")]
    [InlineData(@"\u12")]
    [InlineData(@"\u12G4")]
    [InlineData(@"\uD83D alone")]
    [InlineData(@"\uDE00 alone")]
    [InlineData(@"\uD83D\uD83D")]
    [InlineData(@"ends with a backslash \")]
    public void Emits_nothing_when_every_escape_is_malformed(string text)
    {
        Assert.Empty(On(_decoder, text));
    }

    [Fact]
    public void Copies_malformed_escapes_verbatim_beside_valid_ones()
    {
        var child = Assert.Single(On(_decoder, @"\x\n\u12G\q"));

        Assert.Equal("\\x\n\\u12G\\q", TextOf(child));
    }

    [Fact]
    public void Leaves_escaped_nul_encoded_so_the_child_is_not_taken_for_binary()
    {
        var child = Assert.Single(On(_decoder, @"a\u0000b\n"));

        Assert.Equal("a\\u0000b\n", TextOf(child));
    }

    [Fact]
    public void Leaves_backspace_and_form_feed_escapes_encoded()
    {
        var child = Assert.Single(On(_decoder, @"\bword\b\f\n"));

        Assert.Equal("\\bword\\b\\f\n", TextOf(child));
    }

    [Fact]
    public void Maps_offsets_before_an_escape_to_themselves()
    {
        var child = Assert.Single(On(_decoder, @"abc\ndef"));

        Assert.Equal([0, 1, 2], [ToOriginal(child, 0), ToOriginal(child, 1), ToOriginal(child, 2)]);
    }

    [Fact]
    public void Maps_a_decoded_escape_to_the_backslash_that_starts_it()
    {
        var child = Assert.Single(On(_decoder, @"abc\ndef"));

        Assert.Equal(3, ToOriginal(child, 3));
    }

    [Fact]
    public void Maps_offsets_after_escapes_to_their_exact_original_offsets()
    {
        // decoded: a ␊ b " c (b at 2, c at 4); original: a \ n b \ " c (b at 3, c at 6)
        var child = Assert.Single(On(_decoder, @"a\nb\""c"));

        Assert.Equal([3, 6], [ToOriginal(child, 2), ToOriginal(child, 4)]);
    }

    [Fact]
    public void Copies_only_the_lines_that_hold_an_escape()
    {
        const string text = "plain line one\nkey: \"a\\nb\"\nplain line three\nx = \"c\\td\"\n";

        var child = Assert.Single(On(_decoder, text));

        Assert.Equal("key: \"a\nb\"\nx = \"c\td\"\n", TextOf(child));
        // 'x' starts the second copied line; in the original it starts line four.
        Assert.Equal(text.IndexOf('x', StringComparison.Ordinal), ToOriginal(child, TextOf(child).IndexOf('x', StringComparison.Ordinal)));
        Assert.Equal(text.IndexOf("key", StringComparison.Ordinal), ToOriginal(child, 0));
    }

    [Fact]
    public void Maps_the_byte_after_a_surrogate_pair_past_both_escapes()
    {
        // decoded: x + 4 bytes + y, so 'y' is at 5; in the original it is at 1 + 12.
        var child = Assert.Single(On(_decoder, @"x\uD83D\uDE00y"));

        Assert.Equal(13, ToOriginal(child, 5));
    }

    [Fact]
    public void Names_its_method_and_keeps_the_parents_path()
    {
        var parent = BlobOf(@"a\nb");

        var child = Assert.Single(On(_decoder, parent));

        Assert.Equal(("json-string", parent, parent.Path), (child.DecodedFrom!.Method, child.DecodedFrom.Parent, child.Path));
    }

    [Fact]
    public void Copies_escapes_past_the_per_blob_limit_verbatim()
    {
        const int extra = 10;
        string text = string.Concat(Enumerable.Repeat(@"\n", EscapeRewriter.MaxEscapesPerBlob + extra));

        var child = Assert.Single(On(_decoder, text));

        Assert.Equal(
            (EscapeRewriter.MaxEscapesPerBlob + (2 * extra), string.Concat(Enumerable.Repeat(@"\n", extra))),
            (child.Content.Length, TextOf(child)[^(2 * extra)..]));
    }

    [Theory]
    [InlineData(@"\n")]
    [InlineData(@"\u00e9")]
    [InlineData(@"\u20AC")]
    [InlineData(@"\uD83D\uDE00")]
    public void Never_emits_more_bytes_than_it_reads(string escapes)
    {
        string text = string.Concat(Enumerable.Repeat(escapes, 100));

        var child = Assert.Single(On(_decoder, text));

        Assert.True(child.Content.Length < text.Length, $"{child.Content.Length} bytes from {text.Length}");
    }
}
