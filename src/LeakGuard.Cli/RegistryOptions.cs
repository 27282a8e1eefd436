using System.CommandLine;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Targets;

namespace LeakGuard.Cli;

/// <summary>Options every command that accepts <c>npm:</c> and <c>nuget:</c> targets shares.</summary>
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

    public void AddTo(Command command)
    {
        command.Options.Add(Registry);
        command.Options.Add(Source);
    }

    /// <summary>Where to fetch from, and download bounds that follow what the scan holds of an
    /// archive (<see cref="LeakGuard.Core.Scanning.ScanOptions.MemberLimit"/>: a package larger than that could not be expanded).</summary>
    public RegistrySettings Read(ParseResult parsed, long maxPackageBytes) =>
        new(parsed.GetValue(Registry), parsed.GetValue(Source), new DownloadLimits { MaxPackageBytes = maxPackageBytes });
}
