namespace LeakGuard.Core.Expansion.Images;

/// <summary>
/// What the final image holds, learnt layer by layer from the top down: a file of a lower layer
/// is not in the final image when a layer above deletes it (a whiteout <c>.wh.name</c>, or an
/// opaque <c>.wh..wh..opq</c> for its folder) or puts another file at its path. Layers are
/// expanded top layer first so that this is known when a lower layer's files are reported; what a
/// layer does applies from the layer below it (<see cref="EndLayer"/>).
/// </summary>
internal sealed class LayerVisibility
{
    private const string Whiteout = ".wh.";
    private const string Opaque = ".wh..wh..opq";

    // Path (or folder, for deletions) → the layer above that hides it: the nearest one wins,
    // since lower layers overwrite what higher ones recorded.
    private readonly Dictionary<string, string> _replaced = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _deleted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _opaque = new(StringComparer.Ordinal);
    private readonly List<(Dictionary<string, string> Into, string Path)> _pending = [];

    /// <summary>Whether <paramref name="path"/> (a member of the layer being expanded) is a
    /// whiteout marker rather than a file: it is recorded, not scanned.</summary>
    public bool IsWhiteout(string path)
    {
        string name = Path.GetFileName(path);
        if (!name.StartsWith(Whiteout, StringComparison.Ordinal))
        {
            return false;
        }
        string folder = Folder(path);
        _pending.Add(name == Opaque ? (_opaque, folder) : (_deleted, folder + name[Whiteout.Length..]));
        return true;
    }

    /// <summary>Records a file of the layer being expanded; returns why a layer above hides it
    /// from the final image, or null when the final image has it.</summary>
    public string? File(string path)
    {
        _pending.Add((_replaced, path));
        if (_replaced.TryGetValue(path, out string? by))
        {
            return $"replaced in layer {by}";
        }
        // The file, or a folder it is in, was deleted; or a folder it is in was made opaque.
        for (int slash = path.Length; slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            string prefix = path[..slash];
            if (_deleted.TryGetValue(prefix, out by))
            {
                return $"deleted in layer {by}";
            }
            if (slash < path.Length && _opaque.TryGetValue(prefix + "/", out by))
            {
                return $"deleted in layer {by} (folder made opaque)";
            }
        }
        return null;
    }

    /// <summary>What the layer <paramref name="digest"/> did now applies to the layers below it.</summary>
    public void EndLayer(string digest)
    {
        foreach (var (into, path) in _pending)
        {
            into[path] = digest;
        }
        _pending.Clear();
    }

    private static string Folder(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..(slash + 1)];
    }
}
