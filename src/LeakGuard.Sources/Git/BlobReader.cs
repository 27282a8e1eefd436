using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>Reads blobs for the scanner's workers. libgit2 repository handles are not safe to
/// share between threads, so reads are serialised; inflating a blob is cheap next to matching it.</summary>
internal sealed class BlobReader(Repository repository)
{
    private readonly Lock _gate = new();

    public long Size(ObjectId blob)
    {
        lock (_gate)
        {
            return repository.ObjectDatabase.RetrieveObjectMetadata(blob).Size;
        }
    }

    /// <summary>The whole blob in memory; a missing or corrupt object becomes an IOException,
    /// which the scanner reports as one warning for that path.</summary>
    public Stream Open(ObjectId blob)
    {
        lock (_gate)
        {
            try
            {
                var content = repository.Lookup<Blob>(blob)
                    ?? throw new IOException($"blob {blob.Sha} is missing from the object database");
                using var stream = content.GetContentStream();
                var copy = new MemoryStream((int)Math.Min(content.Size, int.MaxValue));
                stream.CopyTo(copy);
                copy.Position = 0;
                return copy;
            }
            catch (LibGit2SharpException e)
            {
                throw new IOException($"blob {blob.Sha} could not be read: {HistoryWalk.OneLine(e)}", e);
            }
        }
    }
}
