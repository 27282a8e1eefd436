using LibGit2Sharp;

namespace LeakGuard.Sources.Git;

/// <summary>
/// Reads blobs for the scanner's workers: from the object directory's packs and loose objects on
/// the worker's own thread (<see cref="GitObjectDirectory"/>), else from git when it is installed —
/// git's delta-base cache makes walking a packed history several times faster than libgit2
/// (measured 3.8 s against 15 s for 1 GB in 20,000 deltified blobs). Without the object directory,
/// the blobs a scan is about to ask for are read ahead by git in order (<see cref="ReadAhead"/>);
/// any other comes from one <c>git cat-file --batch</c> per worker thread. Sizes come from the
/// object directory's entry headers too. libgit2 answers what neither can (a size, or contents when
/// git is missing); its repository handle is not safe to share between threads, so those calls
/// are serialised.
/// </summary>
internal sealed class BlobReader(Repository repository) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly GitObjectDirectory? _objects = GitObjectDirectory.Open(repository.Info.Path);
    private readonly ThreadLocal<CatFileProcess?> _git = new(() => CatFileProcess.TryStart(repository.Info.Path), trackAllValues: true);
    private BlobReadAhead? _ahead;

    /// <summary>Starts reading <paramref name="order"/> ahead of the workers (blobs up to
    /// <see cref="BlobReadAhead.LargestBlob"/>; the caller leaves larger ones out), unless the
    /// workers read the object directory themselves.</summary>
    public void ReadAhead(IReadOnlyList<ObjectId> order)
    {
        if (_objects is not null)
        {
            return;
        }
        _ahead?.Dispose();
        _ahead = BlobReadAhead.Start(repository.Info.Path, order);
    }

    /// <summary>The blob's size; safe to ask from several threads at once (only libgit2's answers wait for each other).</summary>
    public long Size(ObjectId blob)
    {
        if (_objects?.SizeOf(blob) is { } size)
        {
            return size;
        }
        lock (_gate)
        {
            return repository.ObjectDatabase.RetrieveObjectMetadata(blob).Size;
        }
    }

    /// <summary>The whole blob in memory; a missing or corrupt object becomes an IOException,
    /// which the scanner reports as one warning for that path.</summary>
    public Stream Open(ObjectId blob)
    {
        if (_objects?.OpenBlob(blob) is { } stream)
        {
            return stream;
        }
        if (_ahead?.Take(blob) is { } read)
        {
            return read;
        }
        if (_git.Value is { } git)
        {
            try
            {
                if (git.Read(blob.Sha) is { } content)
                {
                    return new MemoryStream(content, writable: false);
                }
                // git has no such blob: libgit2 below gives the reason in its own words.
            }
            catch (IOException)
            {
                // A dead process is replaced for the next read; this one falls back to libgit2.
                git.Dispose();
                _git.Value = CatFileProcess.TryStart(repository.Info.Path);
            }
        }
        return OpenWithLibGit2(blob);
    }

    private MemoryStream OpenWithLibGit2(ObjectId blob)
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

    public void Dispose()
    {
        _objects?.Dispose();
        _ahead?.Dispose();
        foreach (var git in _git.Values)
        {
            git?.Dispose();
        }
        _git.Dispose();
    }
}
