using Microsoft.AspNetCore.Http;

namespace LeakGuard.Service.Api;

/// <summary>Reading the small JSON bodies the API accepts without trusting their Content-Length.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes, by its
    /// Content-Length or by what was read: answer <see cref="TooLarge"/> then.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellation) =>
        request.ContentLength > limit ? null : await ReadBoundedAsync(request.Body, limit, cancellation).ConfigureAwait(false);

    public static IResult TooLarge(long limit) =>
        Results.Json(new ErrorBody($"body larger than {limit:N0} bytes"), statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes (read no further).
    /// Content-Length may be absent (a chunked body): the limit is on the bytes read.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellation)
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
