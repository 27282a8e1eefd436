using LeakGuard.Core.Reporting;

namespace LeakGuard.Cli;

/// <summary>
/// Every line the command writes to stderr (the progress bar aside, which draws rather than
/// writes lines). Warnings and errors quote member names from archives, git paths and registry
/// answers: each line goes through <see cref="TerminalText.LogLine"/>, so none of them can start
/// a line of its own, move the cursor or show a URL's credentials.
/// </summary>
internal static class Stderr
{
    public static void Line(string text) => Console.Error.WriteLine(TerminalText.LogLine(text));

    public static Task LineAsync(string text) => Console.Error.WriteLineAsync(TerminalText.LogLine(text));
}
