using LeakGuard.Core.Scanning;
using MAB.DotIgnore;
using GlobMatcher = Microsoft.Extensions.FileSystemGlobbing.Matcher;

namespace LeakGuard.Sources.FileSystem;

/// <summary>
/// Files, directories (walked depth-first) and stdin ("-"). Symbolic links are skipped unless
/// asked for; when followed, each directory is entered once by its resolved path, so a link loop
/// ends. Size-0 entries are not opened: that is every empty file, and also every FIFO, socket and
/// device, which would otherwise block or never end.
/// </summary>
public sealed class FileSystemSource(IReadOnlyList<string> targets, FileSystemOptions options, Action<string, string> warn)
{
    private static readonly EnumerationOptions ListOne = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    public IEnumerable<SourceItem> Enumerate()
    {
        foreach (string target in targets)
        {
            if (target == "-")
            {
                yield return new SourceItem { Path = "stdin", Open = Console.OpenStandardInput };
                continue;
            }
            if (Directory.Exists(target))
            {
                foreach (var item in Walk(target))
                {
                    yield return item;
                }
            }
            else if (File.Exists(target))
            {
                yield return Item(new FileInfo(target), target);
            }
            else
            {
                warn(target, "no such file or directory");
            }
        }
    }

    private IEnumerable<SourceItem> Walk(string root)
    {
        var filter = Filter();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Path, IgnoreStack? Ignores)>();
        pending.Push((root, null));
        while (pending.Count > 0)
        {
            var (directory, ignores) = pending.Pop();
            if (options.FollowSymlinks && !visited.Add(RealPath(directory)))
            {
                continue;
            }
            if (options.RespectGitignore)
            {
                ignores = IgnoreStack.Enter(ignores, directory);
            }
            List<FileSystemInfo> entries;
            try
            {
                entries = [.. new DirectoryInfo(directory).EnumerateFileSystemInfos("*", ListOne)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warn(directory, $"directory could not be listed: {e.Message}");
                continue;
            }
            entries.Sort((a, b) => string.CompareOrdinal(b.Name, a.Name));
            foreach (var entry in entries)
            {
                string path = Path.Join(directory, entry.Name);
                bool isLink = entry.LinkTarget is not null;
                if (isLink && !options.FollowSymlinks)
                {
                    continue;
                }
                bool isDirectory = entry is DirectoryInfo;
                if (isDirectory && options.RespectGitignore && entry.Name == ".git")
                {
                    continue;
                }
                if (ignores is not null && ignores.IsIgnored(path, isDirectory))
                {
                    continue;
                }
                if (isDirectory)
                {
                    pending.Push((path, ignores));
                    continue;
                }
                string relative = Path.GetRelativePath(root, path);
                if (filter is not null && !Microsoft.Extensions.FileSystemGlobbing.MatcherExtensions.Match(filter, relative).HasMatches)
                {
                    continue;
                }
                var file = (FileInfo)entry;
                if (isLink)
                {
                    // Followed on request only; a dangling link is worth a word, not a failure.
                    if (file.ResolveLinkTarget(returnFinalTarget: true) is not FileInfo { Exists: true } target)
                    {
                        warn(path, "broken symbolic link");
                        continue;
                    }
                    file = target;
                }
                yield return Item(file, path);
            }
        }
    }

    private GlobMatcher? Filter()
    {
        if (options.Include.Count == 0 && options.Exclude.Count == 0)
        {
            return null;
        }
        var matcher = new GlobMatcher(StringComparison.Ordinal);
        if (options.Include.Count == 0)
        {
            matcher.AddInclude("**/*");
        }
        foreach (string glob in options.Include)
        {
            matcher.AddInclude(glob);
        }
        foreach (string glob in options.Exclude)
        {
            matcher.AddExclude(glob);
        }
        return matcher;
    }

    private static SourceItem Item(FileInfo file, string path)
    {
        long length = file.Length;
        return new SourceItem
        {
            Path = path,
            Length = length,
            Open = length == 0
                ? () => Stream.Null
                : () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan),
        };
    }

    private static string RealPath(string directory)
    {
        var info = new DirectoryInfo(directory);
        return (info.ResolveLinkTarget(returnFinalTarget: true) ?? info).FullName.TrimEnd('/');
    }

    /// <summary>The .gitignore files from the walk's root down to the current directory.</summary>
    private sealed class IgnoreStack(IgnoreStack? parent, string directory, IgnoreList list)
    {
        public static IgnoreStack? Enter(IgnoreStack? parent, string directory)
        {
            string file = Path.Join(directory, ".gitignore");
            if (!File.Exists(file))
            {
                return parent;
            }
            try
            {
                return new IgnoreStack(parent, directory, new IgnoreList(file));
            }
            catch (IOException)
            {
                return parent;
            }
        }

        public bool IsIgnored(string path, bool isDirectory)
        {
            for (var level = this; level is not null; level = level.Parent)
            {
                string relative = Path.GetRelativePath(level.Directory, path);
                if (level.List.IsIgnored(relative, isDirectory))
                {
                    return true;
                }
            }
            return false;
        }

        private IgnoreStack? Parent { get; } = parent;
        private string Directory { get; } = directory;
        private IgnoreList List { get; } = list;
    }
}
