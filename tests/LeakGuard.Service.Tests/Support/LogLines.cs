using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace LeakGuard.Service.Tests.Support;

/// <summary>A Serilog sink that keeps each event as its level and message, strings unquoted as the console shows them.</summary>
internal sealed class LogLines : ILogEventSink
{
    private readonly ConcurrentQueue<(LogEventLevel Level, string Message)> lines = new();

    public IReadOnlyList<(LogEventLevel Level, string Message)> All => [.. lines];

    public IReadOnlyList<string> At(LogEventLevel level) => [.. lines.Where(l => l.Level == level).Select(l => l.Message)];

    public Serilog.Core.Logger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public void Emit(LogEvent logEvent) => lines.Enqueue((logEvent.Level, logEvent.RenderMessage().Replace("\"", "", StringComparison.Ordinal)));
}
