namespace LeakGuard.Cli;

/// <summary>One self-overwriting line on stderr while a scan runs, only when stderr is a
/// terminal; redrawn at most ten times a second.</summary>
internal sealed class ProgressBar : IDisposable
{
    private readonly bool _enabled;
    private readonly object _lock = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private bool _drawn;

    private ProgressBar(bool enabled) => _enabled = enabled;

    public static ProgressBar ForStandardError(bool enabled) =>
        new(enabled && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null);

    public void Update(long items, long bytes)
    {
        if (!_enabled)
        {
            return;
        }
        long now = _clock.ElapsedMilliseconds;
        lock (_lock)
        {
            if (now - _lastDraw < 100)
            {
                return;
            }
            _lastDraw = now;
            double seconds = Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            double mb = bytes / 1048576.0;
            Console.Error.Write($"\r\x1b[2Kscanning: {items:N0} files, {mb:N1} MiB, {mb / seconds:N0} MiB/s");
            _drawn = true;
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            if (_drawn)
            {
                Console.Error.Write("\r\x1b[2K");
                _drawn = false;
            }
        }
    }

    public void Dispose() => Finish();
}
