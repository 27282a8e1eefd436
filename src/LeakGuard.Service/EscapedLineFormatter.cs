using LeakGuard.Core.Reporting;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace LeakGuard.Service;

/// <summary>
/// The service's text log: <c>HH:mm:ss LVL message</c>, one line per event. Messages quote request
/// paths (decoded, so <c>%0a</c> is a newline), archive member names and registry answers, so each
/// line goes through <see cref="TerminalText.LogLine"/>: a control character is written as
/// <c>\u000a</c>, and no text can end the line and pass off what follows as another event. An
/// exception's lines follow indented, never starting as an event does.
/// </summary>
public sealed class EscapedLineFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _line = new("{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}");

    public void Format(LogEvent logEvent, TextWriter output)
    {
        var line = new StringWriter();
        _line.Format(logEvent, line);
        output.Write(TerminalText.LogLine(line.ToString()));
        output.Write('\n');
        if (logEvent.Exception is { } exception)
        {
            foreach (string exceptionLine in exception.ToString().Split('\n'))
            {
                output.Write("    ");
                output.Write(TerminalText.LogLine(exceptionLine.TrimEnd('\r')));
                output.Write('\n');
            }
        }
    }
}
