namespace LeakGuard.Sources.Git;

/// <summary>
/// What earlier completed scans of one remote covered: the blob ids they scanned (a text file,
/// one id a line, appended) and the tip commits they walked from (rewritten each time), so the
/// next scan walks only newer commits and scans only new blobs. Small on purpose; the service's
/// database will take this over.
/// </summary>
public sealed class ScannedBlobStore(string folder)
{
    private string BlobsFile => Path.Join(folder, "scanned-blobs");
    private string TipsFile => Path.Join(folder, "scanned-tips");

    public IReadOnlySet<string> LoadBlobs() => ReadIds(BlobsFile);

    public IReadOnlySet<string> LoadTips() => ReadIds(TipsFile);

    public void Record(IEnumerable<string> blobs, IEnumerable<string> tips)
    {
        Directory.CreateDirectory(folder);
        using (var writer = new StreamWriter(BlobsFile, append: true))
        {
            foreach (string id in blobs)
            {
                writer.Write(id);
                writer.Write('\n');
            }
        }
        // Written aside and moved in, so a crash leaves the old tips, which only means more walking.
        string partial = TipsFile + ".partial";
        File.WriteAllLines(partial, tips);
        File.Move(partial, TipsFile, overwrite: true);
    }

    private static HashSet<string> ReadIds(string file)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return ids;
        }
        foreach (string line in File.ReadLines(file))
        {
            // A line cut short by a crash mid-append is not an id; its blob is simply scanned again.
            if (line.Length is 40 or 64)
            {
                ids.Add(line);
            }
        }
        return ids;
    }
}
