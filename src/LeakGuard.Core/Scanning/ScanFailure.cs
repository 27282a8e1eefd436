namespace LeakGuard.Core.Scanning;

/// <summary>
/// What the scanner does with an exception nobody expected: input is hostile, so any parser may
/// throw anything on some input. The blob (or item) it came from gets one warning naming the
/// exception type, and everything else is scanned. Only a cancellation the caller asked for
/// stops the run.
/// </summary>
internal static class ScanFailure
{
    /// <summary>Longest exception message a warning repeats; parsers may quote what they read.</summary>
    private const int MaxMessage = 300;

    public static bool IsIsolated(Exception e, CancellationToken cancellation) =>
        !(e is OperationCanceledException && cancellation.IsCancellationRequested);

    /// <summary>"OverflowException: Arithmetic operation resulted in an overflow." on one line.</summary>
    public static string Describe(Exception e)
    {
        string message = e.Message.Length > MaxMessage ? e.Message[..MaxMessage] + "…" : e.Message;
        var flat = new System.Text.StringBuilder(message.Length);
        foreach (char c in message)
        {
            flat.Append(char.IsControl(c) ? ' ' : c);
        }
        return $"{e.GetType().Name}: {flat.ToString().Trim()}";
    }
}
