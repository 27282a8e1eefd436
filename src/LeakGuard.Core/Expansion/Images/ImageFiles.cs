using LeakGuard.Core.Expansion.Archives;

namespace LeakGuard.Core.Expansion.Images;

/// <summary>
/// The files of an image tarball (<c>docker save</c>, <c>podman save</c>, an OCI layout packed
/// in a tar), indexed by name from the tar held in memory: every file is a slice of it, never a
/// copy. Only the headers are read (the reader seeks past the data), so indexing a tar that turns
/// out not to be an image costs little.
/// </summary>
internal sealed class ImageFiles
{
    private readonly ReadOnlyMemory<byte> _tar;
    private readonly Dictionary<string, (long Offset, long Length)> _files;

    private ImageFiles(ReadOnlyMemory<byte> tar, Dictionary<string, (long, long)> files)
    {
        _tar = tar;
        _files = files;
    }

    /// <summary>The tar's files when it holds an image (a <c>manifest.json</c> or an
    /// <c>oci-layout</c>), else null; null too for a damaged tar or one with more than
    /// <paramref name="maxFiles"/> files, which the archive expander then reads (and reports) as any tar.</summary>
    public static ImageFiles? Index(ReadOnlyMemory<byte> tar, int maxFiles)
    {
        var files = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        try
        {
            using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(tar, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(tar.ToArray(), writable: false);
            var reader = new TarArchiveReader(stream, _ => { });
            while (reader.Next() is { } entry)
            {
                if (files.Count >= maxFiles)
                {
                    return null;
                }
                if (entry.IsFile)
                {
                    files[Normalize(entry.Name)] = (entry.DataOffset, entry.Length);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;
        }
        var index = new ImageFiles(tar, files);
        return index.Kind == ImageKind.None ? null : index;
    }

    public ImageKind Kind =>
        _files.ContainsKey("manifest.json") ? ImageKind.DockerArchive
        : _files.ContainsKey("oci-layout") && _files.ContainsKey("index.json") ? ImageKind.OciLayout
        : ImageKind.None;

    /// <summary>A file's bytes, or null when the tar has no such file or it runs past the tar's end.</summary>
    public ReadOnlyMemory<byte>? Read(string name)
    {
        if (!_files.TryGetValue(Normalize(name), out var file) || file.Length > _tar.Length - file.Offset)
        {
            return null;
        }
        return _tar.Slice((int)file.Offset, (int)file.Length);
    }

    /// <summary>The length of a file without reading it (manifests are bounded before they are parsed).</summary>
    public long? Length(string name) => _files.TryGetValue(Normalize(name), out var file) ? file.Length : null;

    /// <summary>A path as layers and manifests name it: no leading "./" or "/".</summary>
    public static string Normalize(string path)
    {
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }
        return path.TrimStart('/');
    }
}

internal enum ImageKind
{
    None,

    /// <summary><c>docker save</c> / <c>podman save --format docker-archive</c>: manifest.json,
    /// the config and the layers named in it.</summary>
    DockerArchive,

    /// <summary>An OCI image layout: oci-layout, index.json, blobs/sha256/….</summary>
    OciLayout,
}
