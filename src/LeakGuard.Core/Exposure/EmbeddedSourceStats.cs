using System.Text.RegularExpressions;

namespace LeakGuard.Core.Exposure;

/// <summary>
/// Tallies the original sources a source map or PDB carries, one <see cref="Add"/> per source,
/// without keeping the sources: how many, how much, whose (first-party versus bundled
/// dependencies), what kinds of file, and whether the paths give away the build machine.
/// </summary>
public sealed partial class EmbeddedSourceStats
{
    private const int ExampleCount = 5;
    private const int FileTypeCount = 10;
    private readonly Dictionary<string, int> _fileTypes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _examples = [];
    private readonly List<string> _buildMachinePaths = [];

    public int Count { get; private set; }
    public int FirstParty { get; private set; }
    public int ThirdParty { get; private set; }
    public long Bytes { get; private set; }

    /// <summary>Paths that name a user's home folder or an internal host; a few are kept as evidence.</summary>
    public IReadOnlyList<string> BuildMachinePaths => _buildMachinePaths;

    public void Add(string path, long bytes)
    {
        Count++;
        Bytes += bytes;
        if (IsThirdParty(path))
        {
            ThirdParty++;
        }
        else
        {
            FirstParty++;
            if (_examples.Count < ExampleCount)
            {
                _examples.Add(path);
            }
        }
        string extension = System.IO.Path.GetExtension(path.AsSpan().TrimEnd('/')).ToString();
        if (extension.Length is > 1 and <= 12)
        {
            _fileTypes[extension] = _fileTypes.GetValueOrDefault(extension) + 1;
        }
        if (_buildMachinePaths.Count < ExampleCount && BuildMachinePath().IsMatch(path))
        {
            _buildMachinePaths.Add(path);
        }
    }

    /// <summary>Bundled dependencies and bundler glue: exposed, but not the publisher's own code.</summary>
    public static bool IsThirdParty(string path) =>
        path.Contains("node_modules/", StringComparison.Ordinal) ||
        path.Contains("node_modules\\", StringComparison.Ordinal) ||
        path.Contains("webpack/runtime", StringComparison.Ordinal) ||
        path.Contains("webpack/bootstrap", StringComparison.Ordinal) ||
        path.Contains("(webpack)", StringComparison.Ordinal) ||
        path.StartsWith("\0", StringComparison.Ordinal) ||
        path.Contains("/.nuget/packages/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The details every embedded-source exposure finding carries.</summary>
    public Dictionary<string, object?> Describe() => new()
    {
        ["embeddedSources"] = Count,
        ["firstParty"] = FirstParty,
        ["thirdParty"] = ThirdParty,
        ["sourceBytes"] = Bytes,
        ["fileTypes"] = _fileTypes.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(FileTypeCount)
            .ToDictionary(p => p.Key, p => (object?)p.Value),
        ["examples"] = _examples.ToArray(),
        ["buildMachinePaths"] = _buildMachinePaths.ToArray(),
    };

    // A home folder with a user name (/Users/alice/, /home/alice/, C:\Users\alice\), a UNC share
    // (\\build01\src) or a host under a private-use suffix (ci.corp, build.internal, mac.local).
    [GeneratedRegex(@"(^|[/\\:])(Users|home)[/\\][^/\\]+[/\\]|[A-Za-z]:[/\\]Users[/\\]|^\\\\[^\\]+\\|//[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.(corp|internal|intranet|lan|local|localdomain)(:\d+)?/", RegexOptions.CultureInvariant)]
    private static partial Regex BuildMachinePath();
}
