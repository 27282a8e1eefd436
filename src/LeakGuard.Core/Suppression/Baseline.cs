using System.Text.Json;

namespace LeakGuard.Core.Suppression;

/// <summary>The findings of an earlier LeakGuard JSON report, accepted as known: a scan against a
/// baseline reports only what is new. Only the fingerprints are kept, because they survive the
/// changes (commit, line) that make an old finding look different today.</summary>
public sealed class Baseline
{
    private readonly HashSet<string> _fingerprints;

    private Baseline(string path, HashSet<string> fingerprints)
    {
        Path = path;
        _fingerprints = fingerprints;
    }

    /// <summary>Where the report was read from, for messages.</summary>
    public string Path { get; }

    public int Count => _fingerprints.Count;

    public bool Contains(string fingerprint) => _fingerprints.Contains(fingerprint);

    /// <exception cref="SuppressionFileException">The file cannot be read or is not a LeakGuard JSON report.</exception>
    public static Baseline Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(path, stream);
        }
        catch (IOException e)
        {
            throw new SuppressionFileException($"{path}: cannot read the baseline: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SuppressionFileException($"{path}: cannot read the baseline: {e.Message}", e);
        }
    }

    /// <param name="path">Names the file in error messages.</param>
    /// <exception cref="SuppressionFileException">The content is not a LeakGuard JSON report.</exception>
    public static Baseline Parse(string path, Stream json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return new Baseline(path, FingerprintsOf(path, document.RootElement));
        }
        catch (JsonException e)
        {
            throw NotAReport(path, $"not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Checks the parts of the contract a baseline depends on: a "tool" name and a
    /// "findings" array whose entries carry well-formed fingerprints. Anything else (a SARIF file,
    /// another scanner's report) is refused rather than read as "nothing is known".</summary>
    private static HashSet<string> FingerprintsOf(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("tool", out var tool) || tool.ValueKind != JsonValueKind.String ||
            !root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
        {
            throw NotAReport(path, "expected an object with \"tool\" and a \"findings\" array", null);
        }
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var finding in findings.EnumerateArray())
        {
            if (finding.ValueKind != JsonValueKind.Object ||
                !finding.TryGetProperty("fingerprint", out var fingerprint) ||
                fingerprint.ValueKind != JsonValueKind.String ||
                !FingerprintFormat.IsValid(fingerprint.GetString()))
            {
                throw NotAReport(path, $"findings[{index}] has no valid \"fingerprint\"", null);
            }
            fingerprints.Add(fingerprint.GetString()!);
            index++;
        }
        return fingerprints;
    }

    private static SuppressionFileException NotAReport(string path, string reason, Exception? inner) =>
        new($"{path}: not a LeakGuard JSON report: {reason}", inner);
}
