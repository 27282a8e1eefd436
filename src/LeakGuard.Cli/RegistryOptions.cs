using System.CommandLine;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Targets;

namespace LeakGuard.Cli;

/// <summary>Options every command that accepts <c>npm:</c>, <c>nuget:</c> and <c>oci:</c> targets shares.</summary>
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

    public void AddTo(Command command)
    {
        command.Options.Add(Registry);
        command.Options.Add(Source);
        command.Options.Add(Insecure);
        command.Options.Add(AllPlatforms);
    }

    /// <summary>Where to fetch from, and download bounds that follow what the scan holds of an
    /// archive (<see cref="LeakGuard.Core.Scanning.ScanOptions.MemberLimit"/>: a package larger than that could not be expanded).</summary>
    public RegistrySettings Read(ParseResult parsed, long maxPackageBytes) =>
        new(parsed.GetValue(Registry), parsed.GetValue(Source), new DownloadLimits { MaxPackageBytes = maxPackageBytes })
        {
            OciInsecure = parsed.GetValue(Insecure),
            OciAllPlatforms = parsed.GetValue(AllPlatforms),
        };
}
