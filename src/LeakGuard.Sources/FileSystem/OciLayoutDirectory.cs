using System.Formats.Tar;

namespace LeakGuard.Sources.FileSystem;

/// <summary>
/// An OCI image layout on disk (a folder with <c>oci-layout</c>, <c>index.json</c> and
/// <c>blobs/</c>, as <c>skopeo copy … oci:DIR</c> or <c>podman save --format oci-dir</c> write
/// it) is one image, not a pile of blobs: it is scanned as one item, packed into a tar as it is
/// read, so the image expander expands it like a saved <c>oci-archive</c>
/// (<c>dir!sha256:…!usr/app/main.js</c>). Only the layout's own files are packed (<c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>,
/// no links); a layout larger than a tar held in memory can be is walked as a folder instead.
/// </summary>
internal static class OciLayoutDirectory
{
    public static bool IsLayout(IReadOnlyCollection<FileSystemInfo> entries) =>
        entries.Any(e => e is FileInfo { Name: "oci-layout" } && !e.Attributes.HasFlag(FileAttributes.ReparsePoint))
        && entries.Any(e => e is FileInfo { Name: "index.json" })
        && entries.Any(e => e is DirectoryInfo { Name: "blobs" } && !e.Attributes.HasFlag(FileAttributes.ReparsePoint));

    /// <summary>The layout's files, relative to it; null when together they are too large to pack.</summary>
    public static List<string>? Files(string layout)
    {
        var files = new List<string> { "oci-layout", "index.json" };
        long total = new FileInfo(Path.Join(layout, "index.json")).Length;
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var algorithm in new DirectoryInfo(Path.Join(layout, "blobs")).EnumerateDirectories("*", options))
        {
            foreach (var blob in algorithm.EnumerateFiles("*", options))
            {
                total += blob.Length;
                files.Add($"blobs/{algorithm.Name}/{blob.Name}");
            }
        }
        return total < Array.MaxLength / 2 ? files : null;
    }

    public static Stream Pack(string layout, IReadOnlyList<string> files)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (string file in files)
            {
                writer.WriteEntry(Path.Join(layout, file), file);
            }
        }
        tar.Position = 0;
        return tar;
    }
}
