using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Service.Api;

/// <summary>
/// Decides which refused requests are logged. A request without the key costs its sender nothing,
/// so logging each would let anyone fill the log (and bury what matters in it): the first
/// <see cref="PerWindow"/> refusals of a <see cref="Window"/> are logged one by one, the rest only
/// counted, and the count is told with the first refusal logged after the window.
/// </summary>
public sealed partial class RefusalLog(TimeProvider time)
{
    public const int PerWindow = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _logged;
    private long _unlogged;

    /// <summary>Whether to log this refusal, and how many were left unlogged since the last one
    /// that was (to be said first; 0 when none or when this one is not logged either).</summary>
    public (bool Log, long UnloggedBefore) Next()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _windowStart >= Window)
            {
                _windowStart = now;
                _logged = 0;
            }
            if (_logged >= PerWindow)
            {
                _unlogged++;
                return (false, 0);
            }
            _logged++;
            long unlogged = _unlogged;
            _unlogged = 0;
            return (true, unlogged);
        }
    }

    /// <summary>Logs a refused request with method, path and reason (never a header, the query or
    /// a key) when <see cref="Next"/> allows, after the count of those it did not.</summary>
    public void Report(ILogger logger, HttpRequest request, string reason)
    {
        var (log, unloggedBefore) = Next();
        if (unloggedBefore > 0)
        {
            LogUnlogged(logger, unloggedBefore, PerWindowText);
        }
        if (log)
        {
            LogRefused(logger, request.Method, request.Path.Value ?? "", reason);
        }
    }

    private static readonly string PerWindowText = $"{PerWindow} a minute";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} more requests without logging each (at most {Limit} are logged)")]
    private static partial void LogUnlogged(ILogger logger, long count, string limit);
}
