namespace LeakGuard.Sources.FileSystem;

/// <summary>
/// The path a directory really has, every symbolic link on the way resolved, as realpath(3) gives
/// it: the key that tells a second visit from a new directory when links are followed. .NET's own
/// ResolveLinkTarget resolves the last link only, joining a relative target to the link's folder
/// as written; through another link that folder is not where the link lives, so a loop through a
/// parent (b/deep/loop -> ../deep, reached as a/link/loop) resolved to a new path at every level.
/// </summary>
internal static class RealPath
{
    /// <summary>Links resolved for one path before it counts as a loop, as Linux's ELOOP.</summary>
    private const int MaxLinks = 40;

    /// <returns>The resolved absolute path, or null when resolving it meets more than
    /// <see cref="MaxLinks"/> links (a loop of links that never reaches a directory).</returns>
    public static string? Of(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/').Reverse());
        string resolved = "/";
        int links = 0;
        while (pending.Count > 0)
        {
            string segment = pending.Pop();
            if (segment is "" or ".")
            {
                continue;
            }
            if (segment == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }
            string next = Path.Join(resolved, segment);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                resolved = next;
                continue;
            }
            if (++links > MaxLinks)
            {
                return null;
            }
            if (Path.IsPathRooted(target))
            {
                resolved = "/";
            }
            foreach (string part in target.Split('/').Reverse())
            {
                pending.Push(part);
            }
        }
        return resolved;
    }
}
