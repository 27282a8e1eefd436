using System.Text.RegularExpressions;

namespace LeakGuard.Sources.Oci;

/// <summary><c>oci:HOST[:PORT]/REPO[:TAG|@sha256:DIGEST]</c>: an image in a registry that speaks
/// the OCI distribution API; without a tag or digest it is <c>latest</c>. The registry host is
/// always written out (there is no default registry to guess).</summary>
public sealed partial record OciTarget(string Host, string Repository, string Reference)
{
    public const string Prefix = "oci:";

    public static bool Names(string target) => target.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether the reference is a digest (the manifest is then checked against it).</summary>
    public bool ByDigest => Reference.StartsWith("sha256:", StringComparison.Ordinal);

    /// <summary>Loopback registries are reached over plain http; any other only with --insecure.</summary>
    public bool IsLocal
    {
        get
        {
            string host = Host.StartsWith('[') ? Host[..(Host.IndexOf(']') + 1)] : Host.Split(':')[0];
            return host is "localhost" or "[::1]" || host.StartsWith("127.", StringComparison.Ordinal);
        }
    }

    public override string ToString() => $"{Prefix}{Host}/{Repository}{(ByDigest ? "@" : ":")}{Reference}";

    /// <summary>Parses a target; null with a reason when a part is not what the distribution spec
    /// allows (the parts go into URLs, so they are checked against its grammar).</summary>
    public static OciTarget? TryParse(string target, out string reason)
    {
        var match = Grammar().Match(target[Prefix.Length..]);
        if (!match.Success)
        {
            reason = $"'{target}': name an image as oci:HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST], e.g. oci:localhost:5000/app:1.0";
            return null;
        }
        reason = "";
        string reference = match.Groups["digest"].Success ? match.Groups["digest"].Value
            : match.Groups["tag"].Success ? match.Groups["tag"].Value
            : "latest";
        return new OciTarget(match.Groups["host"].Value, match.Groups["repo"].Value, reference);
    }

    // The distribution spec's name and tag grammar; a host with an optional port.
    [GeneratedRegex(@"^(?<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::[0-9]{1,5})?)/(?<repo>[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9._-]{0,127})|@(?<digest>sha256:[0-9a-f]{64}))?$")]
    private static partial Regex Grammar();
}
