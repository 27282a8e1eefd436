namespace LeakGuard.Service.Api;

/// <summary>Reading the small JSON bodies the API accepts without trusting their Content-Length.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes (read no further).
    /// Content-Length may be absent (a chunked body): the limit is on the bytes read.</summary>
    public static async Task<byte[]?> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellation)
    {
        byte[] buffer = new byte[limit + 1];
        int length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        return length > limit ? null : buffer[..length];
    }
}

/// <summary>Every error answer: <c>{"error": "…"}</c>, saying what to send instead.</summary>
internal sealed record ErrorBody(string Error);
