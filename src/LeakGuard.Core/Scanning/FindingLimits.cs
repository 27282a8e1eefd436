using System.Globalization;
using LeakGuard.Core.Rules;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// How many findings one file (an archive member, a map's source; with the text decoded from it)
/// may produce, per rule and in all. A crafted file can hold a match in every few bytes: 32 MiB of
/// one matching line would otherwise be a million findings, each costing memory and report space.
/// Matches past a limit are only counted, for <see cref="FindingLimitTally"/>'s note.
/// </summary>
internal sealed class BlobFindingLimit(int perRule, int perBlob)
{
    private Dictionary<string, int>? _taken;
    private int _total;

    /// <summary>Matches not reported, by rule id; null while there are none.</summary>
    public Dictionary<string, long>? Over { get; private set; }

    /// <summary>Counts a finding of <paramref name="rule"/>; false (and counted as over) when
    /// the file has reached a limit.</summary>
    public bool TryTake(Rule rule)
    {
        _taken ??= new Dictionary<string, int>(StringComparer.Ordinal);
        int taken = _taken.GetValueOrDefault(rule.Id);
        if (taken >= perRule || _total >= perBlob)
        {
            Over ??= new Dictionary<string, long>(StringComparer.Ordinal);
            Over[rule.Id] = Over.GetValueOrDefault(rule.Id) + 1;
            return false;
        }
        _taken[rule.Id] = taken + 1;
        _total++;
        return true;
    }
}

/// <summary>The files of one run that reached a finding limit, summed into one note for the report.</summary>
internal sealed class FindingLimitTally(int perRule, int perBlob)
{
    /// <summary>Files the note names; the rest are counted.</summary>
    private const int Examples = 3;

    private readonly object _lock = new();
    private readonly SortedDictionary<string, Dictionary<string, long>> _examples = new(StringComparer.Ordinal);
    private long _matches;
    private int _files;

    public void Add(string path, Dictionary<string, long> over)
    {
        lock (_lock)
        {
            _files++;
            _matches += over.Values.Sum();
            _examples[path] = over;
            if (_examples.Count > Examples)
            {
                _examples.Remove(_examples.Keys.Last());
            }
        }
    }

    /// <summary>E.g. "817,900 more matches in 1 file were not reported (at most 100 findings per
    /// rule and 1,000 per file): one-line.tgz!package/line.js (817,900 of github.pat)"; null when
    /// no file reached a limit.</summary>
    public string? Note()
    {
        if (_files == 0)
        {
            return null;
        }
        var culture = CultureInfo.InvariantCulture;
        var named = _examples.Select(e => $"{e.Key} ({string.Join(", ", e.Value.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => string.Format(culture, "{0:N0} of {1}", r.Value, r.Key)))})");
        string more = _files > _examples.Count ? string.Format(culture, "; and {0:N0} more files", _files - _examples.Count) : "";
        return string.Format(culture, "{0:N0} more {1} in {2:N0} {3} were not reported (at most {4:N0} findings per rule and {5:N0} per file): {6}{7}",
            _matches, _matches == 1 ? "match" : "matches", _files, _files == 1 ? "file" : "files", perRule, perBlob, string.Join("; ", named), more);
    }
}
