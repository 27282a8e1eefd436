using System.Text;

namespace LeakGuard.Processes;

/// <summary>Text a child writes, kept up to a limit; the rest is counted, not kept. Thread-safe.</summary>
internal sealed class CapturedText(int limit)
{
    private readonly StringBuilder _text = new();
    private long _dropped;

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Characters that came after the limit and were not kept.</summary>
    public long Dropped
    {
        get
        {
            lock (_text)
            {
                return _dropped;
            }
        }
    }

    public void Append(ReadOnlySpan<char> text)
    {
        lock (_text)
        {
            Keep(text);
        }
    }

    /// <summary>One line and its end, in one piece even when two streams write at once.</summary>
    public void AppendLine(string line)
    {
        lock (_text)
        {
            Keep(line);
            Keep("\n");
        }
    }

    private void Keep(ReadOnlySpan<char> text)
    {
        int keep = Math.Clamp(limit - _text.Length, 0, text.Length);
        _text.Append(text[..keep]);
        _dropped += text.Length - keep;
    }

    /// <summary>Reads <paramref name="reader"/> to its end. Never throws: a stream closed under it
    /// (the process was killed and disposed) ends the text where it was.</summary>
    public static async Task<CapturedText> ReadAsync(StreamReader reader, int limit)
    {
        var captured = new CapturedText(limit);
        char[] buffer = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                captured.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        return captured;
    }
}
