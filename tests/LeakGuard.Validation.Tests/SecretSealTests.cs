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
    public void A_key_that_is_not_32_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SecretSeal(new byte[16]));
    }
}
