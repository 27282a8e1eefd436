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
            // Orleans narrates every silo lifecycle stage at Information; its warnings (a silo
            // declared dead, a slow table) are what an operator acts on.
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Orleans", LogEventLevel.Warning)
            // Advice that does not apply: server GC (the worker sizes its own scans), the 20 s
            // keep-alive reminder (it only revives a target, see TargetGrain), and the watchdog's
            // first check, which reports the time since an unset clock.
            .MinimumLevel.Override("Orleans.Runtime.Silo", LogEventLevel.Error)
            .MinimumLevel.Override("Orleans.Hosting.ReminderOptionsValidator", LogEventLevel.Error)
            .MinimumLevel.Override("Orleans.Runtime.Watchdog", LogEventLevel.Error)
            // Orleans' placement retries log every attempt through Polly.
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .Enrich.FromLogContext();
}
