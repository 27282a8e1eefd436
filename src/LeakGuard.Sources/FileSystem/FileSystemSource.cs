using LeakGuard.Core.Scanning;
using MAB.DotIgnore;
using GlobMatcher = Microsoft.Extensions.FileSystemGlobbing.Matcher;

namespace LeakGuard.Sources.FileSystem;

/// <summary>
/// Files, directories (walked depth-first) and stdin ("-"). Symbolic links are skipped unless
/// asked for; when followed, each directory is entered once by its real path (every link on the
/// way resolved, <see cref="RealPath"/>), so a link loop ends, however it goes through parents.
/// Size-0 entries are not opened: that is every empty file, and also every FIFO, socket and
/// device, which would otherwise block or never end. A walk skips the version-control metadata
/// of checkouts (<see cref="CheckoutMetadata"/>) but for the files that may hold a credential.
/// Items are fingerprinted relative to the directory named, or by the name of a file named
/// (<see cref="SourceItem.FingerprintPath"/>).
/// </summary>
public sealed class FileSystemSource(IReadOnlyList<string> targets, FileSystemOptions options, Action<string, string> warn)
{
    // Unbuffered: the scanner reads each file whole into its own buffer.
    private static readonly FileStreamOptions ReadWhole = new()
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        BufferSize = 0,
    };

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
                yield return Item(new FileInfo(target), target, Path.GetFileName(target));
            }
            else
            {
                warn(target, "no such file or directory");
            }
        }
    }

    /// <summary>Depth-first in ordinal name order. Followed directory links come after a
    /// directory's own entries, so a tree reached both ways is reported under its real path.</summary>
    private IEnumerable<SourceItem> Walk(string root)
    {
        var filter = Filter();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Pending>();
        pending.Push(new Pending(root, IsDirectory: true, IsLink: false, Ignores: null, options.FollowSymlinks ? RealPath.Of(root) : null));
        while (pending.Count > 0)
        {
            var (path, isDirectory, isLink, ignores, realPath, isCheckoutMetadata, listed) = pending.Pop();
            if (!isDirectory)
            {
                string relative = RelativePath(root, path);
                if (filter is not null && !Microsoft.Extensions.FileSystemGlobbing.MatcherExtensions.Match(filter, relative).HasMatches)
                {
                    continue;
                }
                if (Open(path, listed, isLink, relative, isCheckoutMetadata) is { } item)
                {
                    yield return item;
                }
                continue;
            }
            if (options.FollowSymlinks)
            {
                if (realPath is null)
                {
                    warn(path, "symbolic link loop: not followed");
                    continue;
                }
                if (!visited.Add(realPath))
                {
                    continue;
                }
            }
            var inner = options.RespectGitignore ? IgnoreStack.Enter(ignores, path) : null;
            List<FileSystemInfo> entries;
            try
            {
                entries = [.. new DirectoryInfo(path).EnumerateFileSystemInfos("*", ListOne)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warn(path, $"directory could not be listed: {e.Message}");
                continue;
            }
            if (OciLayoutDirectory.IsLayout(entries) && OciLayoutDirectory.Files(path) is { } layoutFiles)
            {
                string layout = path;
                yield return new SourceItem
                {
                    Path = layout,
                    // Named like a file the user named when it is the folder the user named.
                    FingerprintPath = layout == root ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))) : RelativePath(root, layout),
                    Open = () => OciLayoutDirectory.Pack(layout, layoutFiles),
                };
                continue;
            }
            var children = new List<Pending>(entries.Count);
            foreach (var entry in entries)
            {
                string child = Path.Join(path, entry.Name);
                // The attribute comes with the directory listing; LinkTarget would cost a readlink per entry.
                bool link = entry.Attributes.HasFlag(FileAttributes.ReparsePoint);
                bool directory = entry is DirectoryInfo;
                if (link && !options.FollowSymlinks)
                {
                    continue;
                }
                if (CheckoutMetadata.IsMetadata(entry.Name))
                {
                    if (directory)
                    {
                        children.AddRange(CheckoutMetadata.CredentialFiles(child, entry.Name)
                            .Select(file => new Pending(file, IsDirectory: false, IsLink: false, Ignores: null, IsCheckoutMetadata: true)));
                    }
                    continue;
                }
                if (inner is not null && inner.IsIgnored(child, directory))
                {
                    continue;
                }
                // A directory's real path is its parent's and its name, unless it is itself a link.
                string? real = !options.FollowSymlinks || !directory ? null
                    : link ? RealPath.Of(Path.Join(realPath, entry.Name))
                    : Path.Join(realPath, entry.Name);
                children.Add(new Pending(child, directory, link, inner, real, Listed: entry as FileInfo));
            }
            children.Sort((a, b) => (a.IsDirectory && a.IsLink) != (b.IsDirectory && b.IsLink)
                ? (a.IsDirectory && a.IsLink).CompareTo(b.IsDirectory && b.IsLink)
                : string.CompareOrdinal(a.Path, b.Path));
            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }

    /// <param name="RealPath">Of a directory, when links are followed: null if it cannot be resolved.</param>
    /// <param name="Listed">A file as its directory's listing gave it: its length is known from the
    /// listing's status, without asking the file system again.</param>
    private readonly record struct Pending(string Path, bool IsDirectory, bool IsLink, IgnoreStack? Ignores, string? RealPath = null,
        bool IsCheckoutMetadata = false, FileInfo? Listed = null);

    private SourceItem? Open(string path, FileInfo? listed, bool isLink, string fingerprintPath, bool isCheckoutMetadata)
    {
        var file = listed ?? new FileInfo(path);
        if (isLink)
        {
            // Followed on request only; a dangling link or a loop of links is worth a word, not a failure.
            FileSystemInfo? target;
            try
            {
                target = file.ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (IOException e)
            {
                warn(path, $"symbolic link could not be followed: {e.Message}");
                return null;
            }
            if (target is not FileInfo { Exists: true } existing)
            {
                warn(path, "broken symbolic link");
                return null;
            }
            file = existing;
        }
        return Item(file, path, fingerprintPath, isCheckoutMetadata);
    }

    /// <summary>A walked file's path below the directory the user named, '/' separated: what its
    /// findings are fingerprinted under, however the directory was named (., an absolute or a
    /// relative path).</summary>
    private static string RelativePath(string root, string path)
    {
        string relative = Path.GetRelativePath(root, path);
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
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

    private static SourceItem Item(FileInfo file, string path, string fingerprintPath, bool isCheckoutMetadata = false)
    {
        long length = file.Length;
        return new SourceItem
        {
            Path = path,
            FingerprintPath = fingerprintPath,
            IsCheckoutMetadata = isCheckoutMetadata,
            Length = length,
            Open = length == 0
                ? () => Stream.Null
                : () => new FileStream(path, ReadWhole),
            FilePath = length == 0 ? null : path,
        };
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
