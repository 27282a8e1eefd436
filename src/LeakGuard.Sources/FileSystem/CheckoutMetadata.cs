namespace LeakGuard.Sources.FileSystem;

/// <summary>
/// The version-control metadata of a checkout on disk: <c>.git</c> (a directory, or in worktrees
/// and submodules a file naming one), <c>.hg</c> and <c>.svn</c>. Every checkout has it, so its
/// presence is no exposure, and its object store is history, which <c>git:</c> targets scan
/// properly. A directory walk therefore skips it, except the files that can hold a credential a
/// person put there: a remote URL with a token in <c>.git/config</c> (and in a submodule's config
/// under <c>.git/modules</c>), a path with a password in <c>.hg/hgrc</c>. Those are scanned for
/// content and never reported for their path. A nested checkout (a vendored repository's
/// <c>.git</c>) is treated the same: it is a checkout on disk, not an artefact being shipped. Only
/// a walk applies this; a <c>.git/</c> inside an archive or package is shipped, and is reported.
/// </summary>
internal static class CheckoutMetadata
{
    /// <summary>Submodules nest (.git/modules/a/modules/b); deeper than this is not a checkout a person made.</summary>
    private const int MaxDepth = 16;

    private static readonly EnumerationOptions ListOne = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Folders of a git directory that hold no configuration, however many files they hold.</summary>
    private static readonly HashSet<string> NoConfiguration = new(StringComparer.Ordinal) { "objects", "refs", "logs", "hooks", "info", "lfs" };

    public static bool IsMetadata(string name) => name is ".git" or ".hg" or ".svn";

    /// <summary>The files of the metadata directory <paramref name="directory"/> (named
    /// <paramref name="name"/>) that may hold a credential, in ordinal order; none for a
    /// <c>.git</c> file, which only names the real git directory.</summary>
    public static List<string> CredentialFiles(string directory, string name)
    {
        var files = new List<string>();
        if (name == ".git")
        {
            AddFile(files, Path.Join(directory, "config"));
            AddSubmoduleConfigs(files, Path.Join(directory, "modules"), 0);
        }
        else if (name == ".hg")
        {
            AddFile(files, Path.Join(directory, "hgrc"));
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Every <c>config</c> below <c>.git/modules</c>: a submodule's git directory sits at
    /// its path in the work tree (which may have several segments), and may have modules of its own.</summary>
    private static void AddSubmoduleConfigs(List<string> files, string directory, int depth)
    {
        if (depth > MaxDepth || !Directory.Exists(directory))
        {
            return;
        }
        AddFile(files, Path.Join(directory, "config"));
        IEnumerable<string> subdirectories;
        try
        {
            subdirectories = [.. Directory.EnumerateDirectories(directory, "*", ListOne)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string subdirectory in subdirectories)
        {
            if (!NoConfiguration.Contains(Path.GetFileName(subdirectory)))
            {
                AddSubmoduleConfigs(files, subdirectory, depth + 1);
            }
        }
    }

    /// <summary>A regular file only: a link in a checkout's metadata is not followed.</summary>
    private static void AddFile(List<string> files, string path)
    {
        var file = new FileInfo(path);
        if (file.Exists && !file.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            files.Add(path);
        }
    }
}
