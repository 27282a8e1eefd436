namespace LeakGuard.Core.Scanning;

/// <summary>A stream whose first bytes were already read (to judge its size or kind): those
/// pieces, then the rest of the stream, which it owns.</summary>
internal sealed class PrefixedStream(IReadOnlyList<ArraySegment<byte>> prefix, Stream rest) : ForwardReadStream
{
    private int _piece;
    private int _offset;


    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_piece < prefix.Count)
        {
            var left = prefix[_piece].AsSpan(_offset);
            if (left.IsEmpty)
            {
                _piece++;
                _offset = 0;
                continue;
            }
            int n = Math.Min(left.Length, buffer.Length);
            left[..n].CopyTo(buffer);
            _offset += n;
            return n;
        }
        return rest.Read(buffer);
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }
        base.Dispose(disposing);
    }
}
