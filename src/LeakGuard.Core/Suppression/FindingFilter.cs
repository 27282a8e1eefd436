using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Suppression;

/// <summary>Drops the findings a person has already dealt with, by fingerprint. A finding in both
/// the ignore file and the baseline is counted once, against the ignore file: that is the explicit
/// decision, the baseline only says "this was there before".</summary>
public sealed class FindingFilter
{
    private readonly IgnoreFile? _ignoreFile;
    private readonly Baseline? _baseline;

    /// <param name="ignoreFile">Null when there is none.</param>
    /// <param name="baseline">Null when there is none.</param>
    public FindingFilter(IgnoreFile? ignoreFile, Baseline? baseline)
    {
        _ignoreFile = ignoreFile;
        _baseline = baseline;
    }

    public FilteredScan Apply(ScanResult result)
    {
        var kept = new List<Finding>(result.Findings.Count);
        int ignored = 0;
        int known = 0;
        foreach (var finding in result.Findings)
        {
            if (_ignoreFile?.Contains(finding.Fingerprint) == true)
            {
                ignored++;
            }
            else if (_baseline?.Contains(finding.Fingerprint) == true)
            {
                known++;
            }
            else
            {
                kept.Add(finding);
            }
        }
        return new FilteredScan(result with { Findings = kept }, ignored, known);
    }
}
