using System.Buffers;
using System.Text;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// Reads a tar (v7, ustar, GNU and PAX) one header at a time, from a stream that may not seek (a
/// tar inflating out of a gzip). Written for hostile input rather than taken from
/// System.Formats.Tar, which reads a GNU long name or a PAX path whole into a string, however long,
/// and throws exception types of its own on numeric fields it cannot represent:
/// <list type="bullet">
/// <item>a name longer than <see cref="MaxNameBytes"/> (GNU long name, PAX path) is skipped, not
/// read, and the member keeps the name its header holds, with a warning;</item>
/// <item>PAX records are read one at a time, and one longer than a name is skipped the same way;</item>
/// <item>only the fields a scan needs are parsed (name, size, type, checksum): a base-256 size
/// that does not fit 63 bits, or a field that is not a number, is a corrupt header
/// (<see cref="InvalidDataException"/>), as is a checksum that does not add up.</item>
/// </list>
/// Skipping an entry's data and padding happens on the next <see cref="Next"/>; whoever reads a
/// stream that inflates bounds what that costs (see ArchiveExpander's meter).
/// </summary>
internal sealed class TarArchiveReader(Stream tar, Action<string> warn) : IMemberReader
{
    private readonly Stream _tar = tar;

    /// <summary>The longest member name read; longer ones are skipped. Linux's PATH_MAX.</summary>
    public const int MaxNameBytes = 4096;

    private const int Block = 512;

    /// <summary>Bytes of the current entry's data and padding not read yet.</summary>
    private long _unread;

    /// <summary>The current entry's data length.</summary>
    private long _length;

    private readonly byte[] _header = new byte[Block];

    /// <summary>Bytes of the tar read or skipped so far.</summary>
    public long Position { get; private set; }

    /// <summary>The next entry, or null at the end of the archive.</summary>
    /// <exception cref="InvalidDataException">A header is damaged.</exception>
    /// <exception cref="EndOfStreamException">The archive ends inside an entry.</exception>
    public ArchiveMember? Next()
    {
        Skip(_unread);
        _unread = 0;
        string? longName = null;
        long? paxSize = null;
        while (true)
        {
            int read = _tar.ReadAtLeast(_header, Block, throwOnEndOfStream: false);
            Position += read;
            if (read == 0)
            {
                return null;
            }
            if (read < Block)
            {
                throw new EndOfStreamException($"the archive ends inside a header at offset {Position - read:N0}");
            }
            if (!_header.AsSpan().ContainsAnyExcept((byte)0))
            {
                return null;
            }
            long headerAt = Position - Block;
            if (!ChecksumMatches(_header))
            {
                throw new InvalidDataException($"the header at offset {headerAt:N0} has a wrong checksum");
            }
            byte type = _header[156];
            long length = paxSize ?? Number(_header.AsSpan(124, 12), "size", headerAt);
            if (length > long.MaxValue - Block)
            {
                throw new InvalidDataException($"the header at offset {headerAt:N0} has a size of {length:N0} bytes");
            }
            long padded = length + ((Block - (length % Block)) % Block);
            switch (type)
            {
                case (byte)'L':
                    longName = ReadName(length, "GNU long name") ?? longName;
                    Skip(padded - length);
                    continue;
                case (byte)'x':
                    (longName, paxSize) = ReadPax(length, longName, headerAt);
                    Skip(padded - length);
                    continue;
                case (byte)'K' or (byte)'g':
                    Skip(padded);
                    continue;
            }
            string name = longName ?? HeaderName(_header);
            _unread = padded;
            _length = length;
            return new ArchiveMember(name, type is (byte)'0' or 0 or (byte)'7', length, Position);
        }
    }

    /// <summary>The current entry's data: reads at most its length, and fails if the archive ends first.</summary>
    public Stream OpenData() => new EntryData(this, _length);

    private static bool ChecksumMatches(byte[] header)
    {
        long stored;
        try
        {
            stored = Octal(header.AsSpan(148, 8));
        }
        catch (FormatException)
        {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < Block; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        // Some old writers summed signed bytes; both are accepted, as tar itself does.
        return stored == unsigned || stored == signed;
    }

    /// <summary>A numeric field: octal text, or GNU's base-256 (high bit set, big-endian).</summary>
    private static long Number(ReadOnlySpan<byte> field, string what, long headerAt)
    {
        if ((field[0] & 0x80) != 0)
        {
            if (field[0] == 0xFF)
            {
                throw new InvalidDataException($"the header at offset {headerAt:N0} has a negative {what}");
            }
            long value = field[0] & 0x7F;
            foreach (byte b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    throw new InvalidDataException($"the header at offset {headerAt:N0} has a {what} that overflows 63 bits");
                }
                value = (value << 8) | b;
            }
            return value;
        }
        try
        {
            return Octal(field);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"the header at offset {headerAt:N0} has a {what} that is not a number");
        }
    }

    /// <summary>Octal digits, optionally surrounded by spaces and ended by a space or NUL.</summary>
    private static long Octal(ReadOnlySpan<byte> field)
    {
        var digits = field.Trim((byte)' ');
        int end = digits.IndexOfAny((byte)0, (byte)' ');
        digits = end < 0 ? digits : digits[..end];
        long value = 0;
        foreach (byte b in digits)
        {
            // 21 octal digits overflow 63 bits; a 12-byte field holds at most 12.
            if (b is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
            {
                throw new FormatException();
            }
            value = (value << 3) | (uint)(b - '0');
        }
        return value;
    }

    private static string HeaderName(byte[] header)
    {
        var name = Field(header.AsSpan(0, 100));
        // POSIX ustar keeps a path's leading folders in the prefix; GNU's "ustar  " uses that space otherwise.
        if (header.AsSpan(257, 8).SequenceEqual("ustar\000"u8) && Field(header.AsSpan(345, 155)) is { Length: > 0 } prefix)
        {
            return $"{Encoding.UTF8.GetString(prefix)}/{Encoding.UTF8.GetString(name)}";
        }
        return Encoding.UTF8.GetString(name);
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return end < 0 ? field : field[..end];
    }

    /// <summary>Reads a name stored as entry data, or skips it (null) when it is too long.</summary>
    private string? ReadName(long length, string what)
    {
        if (length > MaxNameBytes)
        {
            warn($"a {what} of {length:N0} bytes was not read (more than {MaxNameBytes:N0}); the member keeps the name in its header");
            Skip(length);
            return null;
        }
        var bytes = new byte[length];
        ReadExactly(bytes);
        return Encoding.UTF8.GetString(Field(bytes));
    }

    /// <summary>Reads a PAX extended header record by record ("LEN key=value\n", LEN counting the
    /// whole record), keeping the path and size it sets for the next entry.</summary>
    private (string? Name, long? Size) ReadPax(long length, string? name, long headerAt)
    {
        long? size = null;
        long left = length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxNameBytes + 64);
        try
        {
            while (left > 0)
            {
                // The length field: at most 19 digits, then a space.
                int digits = 0;
                long record = 0;
                while (true)
                {
                    if (left - digits <= 0)
                    {
                        throw new InvalidDataException($"the PAX header at offset {headerAt:N0} ends inside a record");
                    }
                    ReadExactly(buffer.AsSpan(digits, 1));
                    byte b = buffer[digits++];
                    if (b == ' ' && digits > 1)
                    {
                        break;
                    }
                    if (b is < (byte)'0' or > (byte)'9' || digits > 19)
                    {
                        throw new InvalidDataException($"the PAX header at offset {headerAt:N0} has a malformed record");
                    }
                    record = (record * 10) + (b - '0');
                }
                long rest = record - digits;
                if (rest <= 0 || rest > left - digits)
                {
                    throw new InvalidDataException($"the PAX header at offset {headerAt:N0} has a record longer than the header");
                }
                left -= record;
                if (rest > buffer.Length)
                {
                    // Far longer than any name: only its key is read, to say what was skipped.
                    ReadExactly(buffer.AsSpan(0, 64));
                    Skip(rest - 64);
                    int equals = buffer.AsSpan(0, 64).IndexOf((byte)'=');
                    string key = equals < 0 ? "?" : Encoding.UTF8.GetString(buffer, 0, equals);
                    warn($"a PAX '{key}' record of {rest:N0} bytes was not read (more than {MaxNameBytes:N0}){(key == "path" ? "; the member keeps the name in its header" : "")}");
                    continue;
                }
                var text = buffer.AsSpan(0, (int)rest);
                ReadExactly(text);
                int eq = text.IndexOf((byte)'=');
                if (eq <= 0 || text[^1] != '\n')
                {
                    throw new InvalidDataException($"the PAX header at offset {headerAt:N0} has a malformed record");
                }
                var key2 = text[..eq];
                var value = text[(eq + 1)..^1];
                if (key2.SequenceEqual("path"u8))
                {
                    name = Encoding.UTF8.GetString(value);
                }
                else if (key2.SequenceEqual("size"u8))
                {
                    size = long.TryParse(value, System.Globalization.NumberStyles.None, null, out long parsed)
                        ? parsed
                        : throw new InvalidDataException($"the PAX header at offset {headerAt:N0} has a size that is not a number");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (name, size);
    }

    private void ReadExactly(Span<byte> buffer)
    {
        int read = _tar.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        Position += read;
        if (read < buffer.Length)
        {
            throw new EndOfStreamException($"the archive ends inside an entry at offset {Position:N0}");
        }
    }

    private void Skip(long count)
    {
        if (count <= 0)
        {
            return;
        }
        if (_tar.CanSeek)
        {
            if (count > _tar.Length - _tar.Position)
            {
                throw new EndOfStreamException($"the archive ends inside an entry at offset {_tar.Length:N0}");
            }
            _tar.Seek(count, SeekOrigin.Current);
            Position += count;
            return;
        }
        byte[] scratch = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (count > 0)
            {
                int read = _tar.Read(scratch, 0, (int)Math.Min(count, scratch.Length));
                if (read == 0)
                {
                    throw new EndOfStreamException($"the archive ends inside an entry at offset {Position:N0}");
                }
                Position += read;
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The current entry's data as a stream of its own.</summary>
    private sealed class EntryData(TarArchiveReader reader, long length) : ForwardReadStream
    {
        private readonly long _length = length;
        private long _left = length;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left == 0)
            {
                return 0;
            }
            int read = reader._tar.Read(buffer, offset, (int)Math.Min(count, _left));
            if (read == 0)
            {
                throw new EndOfStreamException($"the archive ends inside an entry at offset {reader.Position:N0}");
            }
            _left -= read;
            reader.Position += read;
            reader._unread -= read;
            return read;
        }

        public override long Length => _length;
        public override long Position { get => _length - _left; set => throw new NotSupportedException(); }
    }
}
