using System.Net.Http.Headers;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Npm;
using LeakGuard.Tests.Shared.Fuzzing;
using Xunit.Abstractions;

namespace LeakGuard.Cli.Tests.Registry;

/// <summary>
/// The packument parser fed seeded mutations of real packuments: the full and the abbreviated
/// ("corgi") documents a real registry (Verdaccio) serves for packages the real npm client
/// published. A registry is attacker-controlled input: whatever it sends is read or refused with
/// a <see cref="RegistryException"/>, never another exception, within a bounded allocation.
/// <c>tests/LeakGuard.Benchmarks/fuzz.sh</c> runs it for as long as asked.
/// </summary>
[Collection(NpmRegistryCollection.Name)]
public sealed class PackumentFuzzTests(PublishedPackages packages, ITestOutputHelper output)
{
    private static readonly string[] Dictionary =
        ["\"versions\":", "\"dist-tags\":", "\"dist\":", "\"tarball\":", "\"integrity\":", "\"shasum\":", "\"latest\":", "\"time\":",
         "\"http://127.0.0.1/x.tgz\"", "\"file:///etc/passwd\"", "\"javascript:alert(1)\"", "\"sha512-\"", "\"1.0.0\"", "\"1.0.0-rc.1+build\"",
         "\"\"", "{}", "[]", "null", "true", "1e999", "-0", "\\u0000", "\\udc00", "\\ud800", "\\\"", "\\\\", "{", "}", "[", "]", ",", ":", "\"",
         "\xEF\xBB\xBF", "\xFF", "\xC0\x80"];

    [Fact]
    public void Fuzz_packument()
    {
        string registry = packages.Registry.Url;
        byte[][] seeds = [Fetch("@acme/widget", "application/json"), Fetch("@acme/widget", "application/vnd.npm.install-v1+json"), Fetch("@acme/tampered", "application/json")];
        // A sample the parser does not read fuzzes nothing: each real document lists its versions.
        foreach (byte[] seed in seeds)
        {
            Assert.NotEmpty(NpmRegistrySource.ParsePackument("@acme/widget", registry, seed).Dists);
        }
        var outcome = new FuzzLoop
        {
            Parser = "packument",
            Samples = seeds,
            Dictionary = Dictionary,
            // The parser holds one JsonDocument and the versions it lists: a few times the input.
            AllocationLimit = length => 1024L * 1024 + 16L * length,
            Target = input => NpmRegistrySource.ParsePackument("@acme/widget", registry, input),
            Expected = e => e is RegistryException,
        }.Run();
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, outcome.ToString());
    }

    private byte[] Fetch(string name, string accept)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(packages.Registry.Url + name.Replace("/", "%2f", StringComparison.Ordinal)));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        using var response = client.Send(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {name} ({accept}): {(int)response.StatusCode}");
        return response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }
}
