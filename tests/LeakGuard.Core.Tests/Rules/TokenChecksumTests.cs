using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Rules;

/// <summary>The checksums providers build into their tokens. The vectors come from outside this
/// code: the example GitHub-format and npm tokens published with the formats' write-ups, Confluent's
/// own example secret, and a Private Packagist token made with Python's zlib.crc32 as Packagist's
/// docs describe.</summary>
public sealed class TokenChecksumTests(BuiltInRulesSession builtIn) : IClassFixture<BuiltInRulesSession>
{
    private const string GitHub = "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";
    private const string Npm = "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";
    // The example on Confluent's API-key page.
    private const string Confluent = "cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjw";
    private const string Packagist = "packagist_ort_32d8f09a2d1f2521802da41561d94c4059317fb39127bf9d997d4b2aed76c4169d5d";

    [Theory]
    [InlineData(TokenChecksum.Crc32Base62, GitHub, true)]
    [InlineData(TokenChecksum.Crc32Base62, "ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq18", false)]
    [InlineData(TokenChecksum.Crc32Base62, "ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkj0mLq17", false)]
    [InlineData(TokenChecksum.Crc32Base62, Npm, true)]
    [InlineData(TokenChecksum.Crc32Hex, Packagist, true)]
    [InlineData(TokenChecksum.Crc32Hex, "packagist_out_32d8f09a2d1f2521802da41561d94c4059317fb39127bf9d997d4b2aed76c4169d5d", false)]
    [InlineData(TokenChecksum.Crc32Base64, Confluent, true)]
    [InlineData(TokenChecksum.Crc32Base64, "cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjx", false)]
    public void A_token_made_by_its_providers_generator_holds_its_checksum_and_a_changed_one_does_not(TokenChecksum checksum, string token, bool holds)
    {
        Assert.Equal(holds, TokenChecksums.Holds(checksum, token));
    }

    [Fact]
    public void A_token_of_another_shape_is_not_judged()
    {
        Assert.Null(TokenChecksums.Holds(TokenChecksum.Crc32Base62,
            "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"));
        Assert.Null(TokenChecksums.Holds(TokenChecksum.Crc32Hex, "packagist_ort_xyz"));
    }

    [Fact]
    public void Each_match_says_whether_its_checksum_holds_and_one_that_holds_is_high_confidence()
    {
        var findings = builtIn.Scan("config.env", $"TOKEN={GitHub}\nOLD_TOKEN=ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq18\nNPM_TOKEN={Npm}\nKAFKA_SECRET={Confluent}\n");

        Assert.Equal(["valid", "invalid", "valid", "valid"], findings.OrderBy(f => f.Location.Line).Select(f => f.Details["checksum"]));
        Assert.All(findings.Where(f => (string?)f.Details["checksum"] == "valid"), f => Assert.Equal(Confidence.High, f.Confidence));
    }

    [Fact]
    public void An_unknown_checksum_is_a_load_error_naming_the_rule()
    {
        const string Yaml = """
            rules:
              - id: test.crc
                name: CRC
                kind: secret
                severity: high
                pattern: '\b(tok_[A-Za-z0-9]{20})\b'
                keywords: [tok_]
                checksum: crc64
                examples: ['tok_Zq8vJ2mT4kLp9Xw1cR7n']
                negative_examples: ['tok_short']
            """;
        var error = Assert.Throws<RuleLoadException>(() => RuleLoader.Parse(Yaml, "x.yaml"));
        Assert.Contains("test.crc", error.Message);
        Assert.Contains("unknown checksum 'crc64'", error.Message);
    }
}
