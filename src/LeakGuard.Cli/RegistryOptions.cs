using System.CommandLine;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Targets;
using LeakGuard.Sources.Web;

namespace LeakGuard.Cli;

/// <summary>Options every command that accepts <c>npm:</c>, <c>nuget:</c>, <c>oci:</c> and <c>web:</c> targets shares.</summary>
internal sealed class RegistryOptions
{
    public Option<string?> Registry { get; } = new("--registry")
    {
        Description = "npm registry for npm: targets (default: .npmrc's registry, else registry.npmjs.org)",
    };

    public Option<string?> Source { get; } = new("--source")
    {
        Description = "NuGet v3 service index for nuget: targets (default: nuget.org)",
    };

    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "pull oci: targets over plain http even from a registry that is not on this machine (loopback registries always are)",
    };

    public Option<bool> AllPlatforms { get; } = new("--all-platforms")
    {
        Description = "scan every platform of a multi-platform oci: image (default: linux/amd64)",
    };

    public Option<string[]> WebCdn { get; } = new("--web-cdn")
    {
        Description = "A host that serves a web: target's files besides its own origin, e.g. its CDN (repeatable)",
    };

    public Option<string[]> WebOpenSource { get; } = new("--web-open-source")
    {
        Description = "A web: site (origin or host) whose served code is open source, so its maps are low (repeatable)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Registry);
        command.Options.Add(Source);
        command.Options.Add(Insecure);
        command.Options.Add(AllPlatforms);
        command.Options.Add(WebCdn);
        command.Options.Add(WebOpenSource);
    }

    /// <summary>Where to fetch from, and download bounds that follow what the scan holds of an
    /// archive (<see cref="LeakGuard.Core.Scanning.ScanOptions.MemberLimit"/>: a package larger than that could not be expanded).</summary>
    public RegistrySettings Read(ParseResult parsed, long maxPackageBytes) =>
        new(parsed.GetValue(Registry), parsed.GetValue(Source), new DownloadLimits { MaxPackageBytes = maxPackageBytes })
        {
            OciInsecure = parsed.GetValue(Insecure),
            OciAllPlatforms = parsed.GetValue(AllPlatforms),
            Web = WebSettings.FromEnvironment(maxPackageBytes) with
            {
                CdnHosts = parsed.GetValue(WebCdn) ?? [],
                OpenSourceSites = parsed.GetValue(WebOpenSource) ?? [],
            },
        };
}
