namespace LeakGuard.Sources.Git;

/// <summary>
/// The blob ids already scanned for one remote: a text file of ids, one a line, appended after
/// each completed scan. Small on purpose; the service's database will take this over.
/// </summary>
public sealed class ScannedBlobStore(string file)
{
    public IReadOnlySet<string> Load()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return ids;
        }
        foreach (string line in File.ReadLines(file))
        {
            // A line cut short by a crash mid-append is not an id; it is simply scanned again.
            if (line.Length is 40 or 64)
            {
                ids.Add(line);
            }
        }
        return ids;
    }

    public void Add(IEnumerable<string> ids)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        using var writer = new StreamWriter(file, append: true);
        foreach (string id in ids)
        {
            writer.Write(id);
            writer.Write('\n');
        }
    }
}
