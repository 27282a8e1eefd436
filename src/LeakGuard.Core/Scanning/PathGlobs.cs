using Microsoft.Extensions.FileSystemGlobbing;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// Include and exclude globs over relative paths ('/' separators): <c>*</c> within a name,
/// <c>**</c> across folders, as <c>--include</c>/<c>--exclude</c> take them for a directory walk
/// (Microsoft.Extensions.FileSystemGlobbing, case-sensitive; an exclude that names a folder leaves
/// out everything in it). The same syntax filters archive members and git paths and names the
/// paths of an allowlist. Safe to use from every thread.
/// </summary>
public sealed class PathGlobs
{
    /// <summary>Paths are matched as if under this folder; only relative matching is meant.</summary>
    private static readonly string Root = Path.GetPathRoot(AppContext.BaseDirectory) is { Length: > 0 } root ? root : "/";

    /// <summary>The include globs alone; null when there are none (everything is included).</summary>
    private readonly Matcher? _include;

    /// <summary>Everything but the exclude globs; null when there are none.</summary>
    private readonly Matcher? _exclude;

    private PathGlobs(Matcher? include, Matcher? exclude)
    {
        _include = include;
        _exclude = exclude;
    }

    /// <summary>Paths that match an include glob (every path when there is none) and no exclude
    /// glob; null when there are no globs at all.</summary>
    /// <exception cref="ArgumentException">A glob is not valid (<see cref="Problem"/>).</exception>
    public static PathGlobs? Filter(IReadOnlyCollection<string> include, IReadOnlyCollection<string> exclude)
    {
        if (include.Count == 0 && exclude.Count == 0)
        {
            return null;
        }
        Matcher? includeMatcher = null;
        if (include.Count > 0)
        {
            includeMatcher = new Matcher(StringComparison.Ordinal);
            foreach (string glob in include)
            {
                includeMatcher.AddInclude(Checked(glob));
            }
        }
        Matcher? excludeMatcher = null;
        if (exclude.Count > 0)
        {
            excludeMatcher = new Matcher(StringComparison.Ordinal).AddInclude("**/*");
            foreach (string glob in exclude)
            {
                excludeMatcher.AddExclude(Checked(glob));
            }
        }
        return new PathGlobs(includeMatcher, excludeMatcher);
    }

    /// <summary>Paths that match any of <paramref name="globs"/>; null when there is none.</summary>
    /// <exception cref="ArgumentException">A glob is not valid (<see cref="Problem"/>).</exception>
    public static PathGlobs? AnyOf(IReadOnlyCollection<string> globs) => globs.Count == 0 ? null : Filter(globs, []);

    /// <summary>True when <paramref name="path"/> (relative, '/' separators) is included and not excluded.</summary>
    public bool Matches(string path) => Included(path) && !Excluded(path);

    /// <summary>For a path known two ways (an archive member: its path inside the archive, and its
    /// whole path with '!' read as '/'): true when either is included and neither is excluded.</summary>
    public bool Matches(string path, string alsoKnownAs) =>
        (Included(path) || Included(alsoKnownAs)) && !Excluded(path) && !Excluded(alsoKnownAs);

    /// <summary><paramref name="path"/> without the first of <paramref name="roots"/> (scanned
    /// directories) it is inside, or as it is.</summary>
    public static string Relative(string path, IReadOnlyList<string> roots)
    {
        foreach (string root in roots)
        {
            string prefix = Path.TrimEndingDirectorySeparator(root);
            if (path.Length > prefix.Length + 1 && path.StartsWith(prefix, StringComparison.Ordinal) && path[prefix.Length] == '/')
            {
                return path[(prefix.Length + 1)..];
            }
        }
        return path;
    }

    /// <summary>Why <paramref name="glob"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string glob)
    {
        if (string.IsNullOrWhiteSpace(glob))
        {
            return "a glob cannot be empty";
        }
        if (glob.Contains('\\', StringComparison.Ordinal))
        {
            return $"'{glob}': separate folders with '/', not '\\'";
        }
        if (glob.Split('/').Any(segment => segment is "." or ".."))
        {
            return $"'{glob}': paths are relative to what is scanned; '.' and '..' cannot be used";
        }
        try
        {
            new Matcher(StringComparison.Ordinal).AddInclude(glob).Match(Root, ["probe"]);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"'{glob}' is not a valid glob: {e.Message}";
        }
    }

    private bool Included(string path) => _include is null || Test(_include, path, unreadable: true);

    private bool Excluded(string path) => _exclude is not null && !Test(_exclude, path, unreadable: true);

    /// <summary>A NUL (possible in a hostile archive member's name) is read as '_'; a path the
    /// matcher still cannot read gets <paramref name="unreadable"/>: what keeps it scanned, never hidden.</summary>
    private static bool Test(Matcher matcher, string path, bool unreadable)
    {
        try
        {
            return matcher.Match(Root, [path.Replace('\0', '_')]).HasMatches;
        }
        catch (ArgumentException)
        {
            return unreadable;
        }
    }

    private static string Checked(string glob) => Problem(glob) is { } problem ? throw new ArgumentException(problem, nameof(glob)) : glob;
}
