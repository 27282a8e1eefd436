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

    /// <param name="first">An expander that sees every file before the built-in ones (a release's
    /// file inventory), or null.</param>
    /// <exception cref="OperationCanceledException">When stopped mid-scan: the caller then records
    /// nothing of it, and it runs again on the next start.</exception>
    public async Task<ScanResult> ScanAsync(IEnumerable<SourceItem> items, IBlobExpander? first, CancellationToken cancellation)
    {
        await oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            IReadOnlyList<IBlobExpander> expanders = first is null ? Expanders.Default(options) : [first, .. Expanders.Default(options)];
            var scanner = new Scanner(rules, matcher, options, Decoders.Default, expanders);
            // A scan blocked in a read (a download that hangs) does not see its token: stop waiting
            // for it instead. Only shutdown abandons scans, so nothing runs beside the one left behind for long.
            return await Task.Run(() => scanner.Run(items, cancellation), cancellation).WaitAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    public void Dispose() => oneAtATime.Dispose();
}
