using LeakGuard.Core.Protection;
using LeakGuard.Core.Scanning;
using LeakGuard.Storage;
using Serilog;

namespace LeakGuard.Service.Watch;

/// <summary>
/// The protected-code index a store holds (<c>protect push</c>), for a worker started without a
/// <c>--protected</c> file: every worker on the store scans with the same index, and one pushed
/// while they run is picked up before their next scan. Before each scan the store is asked for
/// the index's digest (one short row), and for the index itself only when the digest changed.
/// </summary>
/// <param name="open">A scan session with the given index (null: none).</param>
internal sealed class StoreProtectedCode(ILeakGuardStore store, Func<ProtectedIndex?, ScanSession> open, ILogger logger)
{
    private string? _digest;

    /// <summary>A session with the store's index when it changed since the last call, else null.</summary>
    public async Task<ScanSession?> ChangedSessionAsync(CancellationToken cancellation)
    {
        if (await store.GetProtectedIndexDigestAsync(cancellation).ConfigureAwait(false) == _digest)
        {
            return null;
        }
        var stored = await store.GetProtectedIndexAsync(cancellation).ConfigureAwait(false);
        _digest = stored?.Digest;
        if (stored is null)
        {
            logger.Information("The store holds no protected-code index now; scanning without one");
            return open(null);
        }
        try
        {
            var index = ProtectedIndex.FromBytes(stored.Content, "the store's protected-code index");
            logger.Information("Protected code from the store: {Codebases} codebases, {Fingerprints} fingerprints (sha256 {Digest})",
                index.Codebases.Count, index.Count, stored.Digest);
            return open(index);
        }
        catch (InvalidDataException e)
        {
            logger.Warning("{Problem}; scanning without protected code until an index is pushed again", e.Message);
            return open(null);
        }
    }
}
