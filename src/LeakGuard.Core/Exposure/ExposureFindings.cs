using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Exposure;

/// <summary>
/// Turns what a <see cref="ReleaseContext"/> gathered into findings, with severity from the
/// package's manifest: a package that is not open source exposing its source is critical, an
/// open-source one low, one whose licence cannot be found high; source paths that give away a
/// build machine make it at least medium.
/// </summary>
public static class ExposureFindings
{
    public static Finding ForEmbeddedSources(EmbeddedSourceExposure exposure, ManifestIndex manifests, string? referencedBy)
    {
        var manifest = manifests.For(exposure.Container.Path);
        var details = exposure.Stats.Describe();
        foreach (var (key, value) in exposure.Details ?? new Dictionary<string, object?>())
        {
            details[key] = value;
        }
        if (referencedBy is not null)
        {
            details["referencedBy"] = referencedBy;
        }
        var severity = manifest switch
        {
            null => Severity.High,
            { OpenSource: true } => Severity.Low,
            _ => Severity.Critical,
        };
        if (exposure.Stats.BuildMachinePaths.Count > 0 && severity < Severity.Medium)
        {
            severity = Severity.Medium;
        }
        Describe(details, manifest);
        return Build(exposure.Rule, exposure.Container, severity, manifest, details);
    }

    /// <summary>A source map in a package that is not open source, whether or not it embeds
    /// sources: its mappings and names still describe the code. Null when the package is open source.</summary>
    public static Finding? ForMapInClosedPackage(Blob map, ManifestIndex manifests)
    {
        var manifest = manifests.For(map.Path);
        if (manifest is not { OpenSource: false })
        {
            return null;
        }
        var details = new Dictionary<string, object?>();
        Describe(details, manifest);
        var rule = AnalyzerRules.MapInClosedPackage;
        return Build(rule, map, rule.Severity, manifest, details);
    }

    private static void Describe(Dictionary<string, object?> details, PackageManifest? manifest)
    {
        details["license"] = manifest?.License;
        details["licenseVerdict"] = manifest?.Verdict ?? "unknown: no package.json or .nuspec found for this file";
        details["manifest"] = manifest?.Path;
    }

    private static Finding Build(Rules.Rule rule, Blob at, Severity severity, PackageManifest? manifest, Dictionary<string, object?> details)
    {
        if (at.Origin?.Details is { } origin)
        {
            foreach (var (key, value) in origin)
            {
                details.TryAdd(key, value);
            }
        }
        return new Finding
        {
            RuleId = rule.Id,
            Kind = rule.Kind,
            Severity = severity,
            Title = rule.Name,
            Location = new Location
            {
                Path = at.Path,
                Commit = at.Origin?.Commit,
                Author = at.Origin?.Author,
                Date = at.Origin?.Date,
                Package = at.Origin?.Package ?? manifest?.Name,
                Version = at.Origin?.Version ?? manifest?.Version,
            },
            Fingerprint = SecretText.Fingerprint(rule.Id, at.FingerprintPath, null),
            Details = details,
        };
    }
}
