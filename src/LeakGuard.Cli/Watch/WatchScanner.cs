using LeakGuard.Core.Expansion;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;

namespace LeakGuard.Cli.Watch;

/// <summary>
/// The scan pipeline every watcher shares: the same rules, engine, expanders and decoders as
/// <c>leakguard scan</c>. One scan runs at a time: the machine this runs on is small, and the
/// watchers of a quiet service rarely have work at the same moment.
/// </summary>
internal sealed class WatchScanner(RuleSet rules, IMatchEngine matcher) : IDisposable
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private readonly ScanOptions options = new();

    /// <summary>Throws <see cref="OperationCanceledException"/> when stopped mid-scan: the caller
    /// then records nothing of it, and the version is scanned again on the next start.</summary>
    public async Task<ScanResult> ScanAsync(IEnumerable<SourceItem> items, CancellationToken cancellation)
    {
        await oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var scanner = new Scanner(rules, matcher, options, Decoders.Default, Expanders.Default(options));
            return await Task.Run(() => scanner.Run(items, cancellation), cancellation).ConfigureAwait(false);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    public void Dispose() => oneAtATime.Dispose();
}
