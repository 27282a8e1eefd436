using System.Text;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Npm;

namespace LeakGuard.Sources.Tests.Npm;

/// <summary>What a registry sends is attacker-controlled: a string .NET cannot hold is a refused
/// answer naming the registry, not an exception that ends the scan (found by the packument fuzzer).</summary>
public sealed class PackumentParsingTests
{
    private static byte[] Packument(byte[] tarball) =>
        [.. "{\"versions\":{\"1.0.0\":{\"dist\":{\"tarball\":\"http://r/x.tgz\",\"integrity\":\""u8, .. tarball, .. "\"}}}}"u8];

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x80 })] // an overlong encoding: not UTF-8
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'c', (byte)'0', (byte)'0' })] // a lone surrogate escape
    public void A_string_that_is_not_text_is_a_registry_error(byte[] value)
    {
        var e = Assert.Throws<RegistryException>(() => NpmRegistrySource.ParsePackument("@acme/widget", "http://127.0.0.1:1/", Packument(value)));
        Assert.Contains("http://127.0.0.1:1/ sent a packument for @acme/widget that is not JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_packument_lists_its_versions()
    {
        var packument = NpmRegistrySource.ParsePackument("@acme/widget", "http://r/", Packument(Encoding.UTF8.GetBytes("sha512-abc")));
        Assert.Equal("sha512-abc", packument.Dists["1.0.0"].Integrity);
    }
}
