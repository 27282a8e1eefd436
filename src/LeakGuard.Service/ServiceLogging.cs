using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace LeakGuard.Service;

/// <summary>Structured logs for the service: readable console lines by default (control characters
/// escaped, see <see cref="EscapedLineFormatter"/>), compact JSON on request (escaped by JSON itself).</summary>
public static class ServiceLogging
{
    public static Serilog.Core.Logger CreateLogger(bool json)
    {
        var configuration = WithServiceLevels(new LoggerConfiguration());
        return (json
            ? configuration.WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: null)
            : configuration.WriteTo.Console(new EscapedLineFormatter()))
            .CreateLogger();
    }

    /// <summary>The levels the service logs at, whatever the sink.</summary>
    public static LoggerConfiguration WithServiceLevels(LoggerConfiguration configuration) =>
        configuration
            .MinimumLevel.Information()
            // ASP.NET Core's per-request lines carry query strings, where a careless client may put a key; its warnings still show.
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .Enrich.FromLogContext();
}
