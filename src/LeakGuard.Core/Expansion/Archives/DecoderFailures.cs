using LeakGuard.Core.Scanning;
namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// A third-party decoder's stream whose failures on damaged or hostile input — each library
/// throws types of its own (SharpCompress's DataErrorException and InvalidFormatException,
/// ZstdSharp's ZstdException, or a bare IndexOutOfRangeException from a corrupt table) — become
/// <see cref="InvalidDataException"/>, which the archive expander reports as a damaged archive,
/// keeping what was decoded before.
/// </summary>
internal sealed class DecoderFailures(Stream decoder, string format) : ForwardReadStream
{
    /// <summary>Opens a decoder (some decode their first block as they are made: bzip2) and wraps it.</summary>
    public static Stream Open(Func<Stream> open, string format)
    {
        try
        {
            return new DecoderFailures(open(), format);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Damaged(format, e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return decoder.Read(buffer);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Damaged(format, e);
        }
    }

    /// <summary>What a decoder throws on bad input: anything but cancellation and the damage
    /// exceptions the expander already understands.</summary>
    public static bool IsDecoderFailure(Exception e) =>
        e is not (InvalidDataException or IOException or OperationCanceledException or OutOfMemoryException or InsufficientExecutionStackException);

    public static InvalidDataException Damaged(string format, Exception e) =>
        new($"the {format} decoder failed: {e.GetType().Name}: {e.Message}", e);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                decoder.Dispose();
            }
            catch (Exception e) when (IsDecoderFailure(e))
            {
                // A decoder that checks its trailer on dispose has said so on the read already.
            }
        }
        base.Dispose(disposing);
    }
}
