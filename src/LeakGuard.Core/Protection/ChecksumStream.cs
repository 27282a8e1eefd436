namespace LeakGuard.Core.Protection;

/// <summary>A stream that hashes (<see cref="IndexChecksum"/>) every byte written to or read through it, so a file is
/// checksummed in the one pass that writes or parses it. Reading goes forward only.</summary>
internal sealed class ChecksumStream(Stream inner) : Stream
{
    private readonly IndexChecksum _hash = new();

    /// <summary>The hash of the bytes passed through so far.</summary>
    public ulong Checksum => _hash.Current;

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        _hash.Append(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.Append(buffer);
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => inner.Flush();

    // Length and Position are the inner stream's, so readers can check a count against what is
    // left before they allocate for it; moving is not (every byte must pass through the hash).
    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => inner.CanSeek;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
