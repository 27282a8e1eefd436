using System.Security.Cryptography;

namespace LeakGuard.Validation.Tests;

public class SecretSealTests
{
    private const string Secret = "ghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D";

    private static SecretSeal NewSeal() => new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_sealed_secret_opens_only_with_its_key_and_its_rule_and_does_not_show_the_secret()
    {
        var seal = NewSeal();
        string sealedText = seal.Seal("github.pat", Secret);

        Assert.DoesNotContain("E3co3cbFG4Z1", sealedText, StringComparison.Ordinal);
        Assert.NotEqual(sealedText, seal.Seal("github.pat", Secret));
        Assert.Equal(Secret, seal.Open("github.pat", sealedText));
        Assert.Null(seal.Open("slack.bot-token", sealedText));
        Assert.Null(NewSeal().Open("github.pat", sealedText));
        char[] altered = sealedText.ToCharArray();
        altered[^3] = altered[^3] == 'A' ? 'B' : 'A';
        Assert.Null(seal.Open("github.pat", new string(altered)));
        Assert.Null(seal.Open("github.pat", "not a seal"));
        Assert.Null(seal.Open("github.pat", "v1:AAAA"));
    }

    [Fact]
    public void A_paired_secret_is_sealed_with_its_other_halves_and_opens_with_them_only_for_its_rule()
    {
        var seal = NewSeal();
        var credential = new SealedCredential("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8kLp2sVt",
            [new PairedValues("AKIAQX3VT7PM2KD9RL4B", null), new PairedValues("AKIAZZ3VT7PM2KD9RL4C", "eu.example.net")]);
        string sealedText = seal.Seal("aws.secret-access-key", credential);

        Assert.StartsWith("v2:", sealedText, StringComparison.Ordinal);
        foreach (string part in new[] { "wJalrXUtnFEMI", "AKIAQX3VT7PM", "eu.example.net" })
        {
            Assert.DoesNotContain(part, sealedText, StringComparison.Ordinal);
        }
        var opened = seal.OpenCredential("aws.secret-access-key", sealedText);
        Assert.NotNull(opened);
        Assert.Equal(credential.Secret, opened.Secret);
        Assert.Equal(credential.Pairs, opened.Pairs);
        Assert.Equal(credential.Secret, seal.Open("aws.secret-access-key", sealedText));
        Assert.Null(seal.OpenCredential("aws.access-key-id", sealedText));
        Assert.Null(NewSeal().OpenCredential("aws.secret-access-key", sealedText));
    }

    [Fact]
    public void A_secret_sealed_alone_opens_as_a_credential_without_pairs_and_is_sealed_as_before()
    {
        var seal = NewSeal();
        string alone = seal.Seal("github.pat", new SealedCredential(Secret, []));

        Assert.StartsWith("v1:", alone, StringComparison.Ordinal);
        var opened = seal.OpenCredential("github.pat", alone);
        Assert.Equal(Secret, opened?.Secret);
        Assert.Empty(opened!.Pairs);
    }

    [Fact]
    public void A_key_that_is_not_32_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SecretSeal(new byte[16]));
    }
}
