using LeakGuard.Sources.Oci;

namespace LeakGuard.Sources.Tests.Oci;

/// <summary>oci: targets: the parts go into URLs, so only what the distribution spec's grammar allows is accepted.</summary>
public class OciTargetTests
{
    private const string Digest = "sha256:3f1c0e2b9d4a5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef";

    [Theory]
    [InlineData("oci:localhost:5000/app:1.0", "localhost:5000", "app", "1.0", true)]
    [InlineData("oci:registry.example.com/acme/web-app", "registry.example.com", "acme/web-app", "latest", false)]
    [InlineData("oci:127.0.0.1:5077/a/b/c__d:v2_rc.1", "127.0.0.1:5077", "a/b/c__d", "v2_rc.1", true)]
    [InlineData("oci:[::1]:5000/app:x", "[::1]:5000", "app", "x", true)]
    [InlineData("oci:ghcr.io/acme/app@" + Digest, "ghcr.io", "acme/app", Digest, false)]
    public void A_target_names_host_repository_and_tag_or_digest(string text, string host, string repository, string reference, bool local)
    {
        var target = OciTarget.TryParse(text, out string reason) ?? throw new Xunit.Sdk.XunitException(reason);
        Assert.Equal((host, repository, reference, local), (target.Host, target.Repository, target.Reference, target.IsLocal));
        // Written back out as given, with the default tag spelled out.
        Assert.Equal(text.EndsWith(reference, StringComparison.Ordinal) ? text : $"{text}:{reference}", target.ToString());
    }

    [Theory]
    [InlineData("oci:app:1")]                                   // no registry host
    [InlineData("oci:localhost:5000/App:1")]                    // upper case repository
    [InlineData("oci:localhost:5000/app/../etc:1")]             // a path walk
    [InlineData("oci:localhost:5000/app:-bad")]                 // a tag cannot start with '-'
    [InlineData("oci:localhost:5000/app@sha256:abc")]           // a truncated digest
    [InlineData("oci:localhost:5000/app:1?x=y")]
    [InlineData("oci:user:pass@localhost/app:1")]               // credentials do not go in the target
    public void A_target_outside_the_grammar_is_refused_with_the_expected_shape(string text)
    {
        Assert.Null(OciTarget.TryParse(text, out string reason));
        Assert.Contains("oci:HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST]", reason);
    }
}
