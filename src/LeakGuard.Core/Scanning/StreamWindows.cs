using System.Buffers;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// Reads a stream in windows of one fixed, pooled buffer, so a file of any size costs one window
/// of memory. Consecutive windows overlap: each keeps <see cref="Context"/> bytes before the part
/// it owns and, after it, the widest match plus <see cref="Context"/>, so a match that starts in
/// the owned part lies whole in the window with the context the judges read around it. Every byte
/// is owned by exactly one window: a match is reported by the window its start is owned by, once.
/// Line numbers are carried across windows by counting the newlines of the bytes left behind.
/// </summary>
internal sealed class StreamWindows : IDisposable
{
    /// <summary>The farthest anything reads around a match: an encrypted YAML section's parent key
    /// is looked for 16 KiB back (<see cref="Precision.EncryptedSection"/>); allow comments and a
    /// judged line are read 4 KiB either side.</summary>
    public const int Context = 16 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly int _size;
    private readonly int _after;
    private int _filled;
    private bool _ended;
    private bool _started;

    /// <param name="maxMatchWidth">The widest match a rule can have (<see cref="Rules.RuleSet.MaxMatchWidth"/>).</param>
    /// <param name="windowSize">Bytes per window; raised to hold the overlap several times over.</param>
    public StreamWindows(Stream stream, int maxMatchWidth, int windowSize)
    {
        _stream = stream;
        _after = After(maxMatchWidth);
        _size = Size(maxMatchWidth, windowSize);
        _buffer = ArrayPool<byte>.Shared.Rent(_size);
    }

    /// <summary>Bytes a window keeps after the part it owns: the widest match, one byte past it
    /// (the confirmer reads a match's neighbour for \b and $), and the context.</summary>
    public static int After(int maxMatchWidth) => maxMatchWidth + 1 + Context;

    /// <summary>The bytes of a window: <paramref name="windowSize"/>, raised to hold the overlap several times over.</summary>
    public static int Size(int maxMatchWidth, int windowSize) => Math.Max(windowSize, 4 * (Context + After(maxMatchWidth)));

    /// <summary>The current window's bytes.</summary>
    public ReadOnlyMemory<byte> Window => _buffer.AsMemory(0, _filled);

    /// <summary>Where the window starts in the stream.</summary>
    public long Start { get; private set; }

    /// <summary>Matches starting at or after this offset of the window belong to it.</summary>
    public int OwnedFrom { get; private set; }

    /// <summary>Matches starting before this offset of the window belong to it.</summary>
    public int OwnedTo { get; private set; }

    /// <summary>Bytes read from the stream so far.</summary>
    public long Length => Start + _filled;

    /// <summary>The line the window's first byte is on (1-based).</summary>
    private int _startLine = 1;

    /// <summary>The column of the window's first byte (1-based).</summary>
    private long _startColumn = 1;

    /// <summary>Moves to the next window; false when the stream has been read to its end.</summary>
    public bool Next()
    {
        if (_started)
        {
            if (_ended)
            {
                return false;
            }
            // Keep the context before the first byte the next window owns, and what follows it.
            int keep = OwnedTo - Context;
            var left = _buffer.AsSpan(0, keep);
            int newlines = left.Count((byte)'\n');
            if (newlines > 0)
            {
                _startLine += newlines;
                _startColumn = keep - left.LastIndexOf((byte)'\n');
            }
            else
            {
                _startColumn += keep;
            }
            _buffer.AsSpan(keep, _filled - keep).CopyTo(_buffer);
            Start += keep;
            _filled -= keep;
            OwnedFrom = Context;
        }
        _started = true;
        int wanted = _size - _filled;
        int read = _stream.ReadAtLeast(_buffer.AsSpan(_filled, wanted), wanted, throwOnEndOfStream: false);
        _filled += read;
        _ended = read < wanted;
        // The last window owns everything to the end; others leave what a match starting there
        // could still need to the next one.
        OwnedTo = _ended ? _filled : _filled - _after;
        return true;
    }

    /// <summary>A position in the stream from a (line, column) counted in the window.</summary>
    public (int Line, int Column) InStream((int Line, int Column) inWindow) => inWindow.Line == 1
        ? (_startLine, (int)Math.Min(int.MaxValue, _startColumn + inWindow.Column - 1))
        : (_startLine + inWindow.Line - 1, inWindow.Column);

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
