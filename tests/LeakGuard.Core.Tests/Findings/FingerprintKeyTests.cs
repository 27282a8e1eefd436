using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Tests.Findings;

/// <summary>The key every secret's digest is taken with: the process's own random one, drawn when
/// first used, and keys given as text.</summary>
public sealed class FingerprintKeyTests
{
    private const string Secret = "tok_Zq8vJ2mT4kLp9Xw1cR7n";

    [Fact]
    public async Task The_ephemeral_key_gives_one_digest_per_secret_for_the_whole_process()
    {
        string first = FingerprintKey.Ephemeral.Digest(Secret);
        string again = await Task.Run(() => FingerprintKey.Ephemeral.Digest(Secret));
        Assert.Equal(first, again);
        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.NotEqual(first, FingerprintKey.Ephemeral.Digest(Secret + "x"));
    }

    [Fact]
    public void The_ephemeral_key_is_random_not_a_fixed_key()
    {
        // Drawn on first use: no key given as text, however long, gives its digests.
        Assert.NotEqual(FingerprintKey.Ephemeral.Digest(Secret), new FingerprintKey(new string('0', 64)).Digest(Secret));
        Assert.NotEqual(FingerprintKey.Ephemeral.Digest(Secret), new FingerprintKey(FingerprintKey.Generate()).Digest(Secret));
    }

    [Fact]
    public void A_key_given_as_text_is_trimmed_and_must_be_long_enough()
    {
        string key = FingerprintKey.Generate();
        Assert.Equal(new FingerprintKey(key).Digest(Secret), new FingerprintKey($"  {key}\n").Digest(Secret));
        Assert.NotEqual(new FingerprintKey(key).Digest(Secret), new FingerprintKey(FingerprintKey.Generate()).Digest(Secret));
        // Sixteen characters once the spaces are trimmed, not fifteen.
        _ = new FingerprintKey("  sixteen-chars-xx  ");
        var error = Assert.Throws<ArgumentException>(() => new FingerprintKey("  fifteen-chars-x  "));
        Assert.Equal("text", error.ParamName);
    }
}
