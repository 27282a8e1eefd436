using LeakGuard.Core.Expansion.Decoding;
using static LeakGuard.Core.Tests.Expansion.DecoderRun;

namespace LeakGuard.Core.Tests.Expansion;

public sealed class PercentDecoderTests
{
    private readonly PercentDecoder _decoder = new();

    [Fact]
    public void Decodes_every_valid_escape_in_a_url()
    {
        var child = Assert.Single(On(_decoder, "https%3A%2F%2Fadmin%3AS3cr3tP%40ss%40db.example.com"));

        Assert.Equal("https://admin:S3cr3tP@ss@db.example.com", TextOf(child));
    }

    [Fact]
    public void Decodes_lower_case_hex_digits()
    {
        var child = Assert.Single(On(_decoder, "a%2fb%3ac"));

        Assert.Equal("a/b:c", TextOf(child));
    }

    [Fact]
    public void Decodes_a_percent_encoded_pem_header()
    {
        var child = Assert.Single(On(_decoder, "key=-----BEGIN%20RSA%20PRIVATE%20KEY-----%0AMIIE"));

        Assert.Equal("key=-----BEGIN RSA PRIVATE KEY-----\nMIIE", TextOf(child));
    }

    [Fact]
    public void Leaves_plus_signs_as_they_are()
    {
        var child = Assert.Single(On(_decoder, "q=a+b%20c%20d"));

        Assert.Equal("q=a+b c d", TextOf(child));
    }

    [Fact]
    public void Emits_nothing_when_the_blob_has_no_escapes()
    {
        Assert.Empty(On(_decoder, "https://example.com/path?q=1"));
    }

    [Fact]
    public void Emits_nothing_for_a_single_escape()
    {
        Assert.Empty(On(_decoder, "discount: 100%25 guaranteed"));
    }

    [Fact]
    public void Emits_nothing_when_only_malformed_escapes_occur()
    {
        Assert.Empty(On(_decoder, "width: 50%; %zz %4 %G1 ends with %"));
    }

    [Fact]
    public void Copies_malformed_escapes_verbatim_beside_valid_ones()
    {
        var child = Assert.Single(On(_decoder, "%G1%2F%2%41%"));

        Assert.Equal("%G1/%2A%", TextOf(child));
    }

    [Fact]
    public void Leaves_an_escaped_nul_encoded_so_the_child_is_not_taken_for_binary()
    {
        var child = Assert.Single(On(_decoder, "a%00b%20c%20d"));

        Assert.Equal("a%00b c d", TextOf(child));
    }

    [Fact]
    public void Maps_a_decoded_escape_to_its_percent_sign()
    {
        var child = Assert.Single(On(_decoder, "ab%2Fc%2Fd"));

        Assert.Equal(2, ToOriginal(child, 2));
    }

    [Fact]
    public void Maps_offsets_after_escapes_to_their_exact_original_offsets()
    {
        // decoded: a b / c / d   original: a b % 2 F c % 2 F d
        var child = Assert.Single(On(_decoder, "ab%2Fc%2Fd"));

        Assert.Equal([0, 5, 9], [ToOriginal(child, 0), ToOriginal(child, 3), ToOriginal(child, 5)]);
    }

    [Fact]
    public void Names_its_method()
    {
        var child = Assert.Single(On(_decoder, "%41%42"));

        Assert.Equal("percent", child.DecodedFrom!.Method);
    }
}
