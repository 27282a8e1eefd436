using System.Buffers;
using System.Globalization;
using System.Text;
using LeakGuard.Processes;

namespace LeakGuard.Sources.Git;

/// <summary>
/// One long-running <c>git cat-file --batch</c>: an object id goes in, "id type size", the bytes
/// and a newline come out. Used by one thread at a time. Once <see cref="Read"/> throws, the
/// conversation is out of step and the process must be replaced.
/// </summary>
internal sealed class CatFileProcess : IDisposable
{
    /// <summary>git's complaints are a line or two; more would be noise in a warning.</summary>
    private const int MaxErrorChars = 4096;

    private readonly RunningProcess _process;
    private readonly Stream _input;
    private readonly BufferedStream _output;

    private CatFileProcess(RunningProcess process)
    {
        _process = process;
        _input = process.StandardInput;
        _output = new BufferedStream(process.StandardOutput, 64 * 1024);
    }

    /// <summary>Null when the git command cannot be started at all.</summary>
    public static CatFileProcess? TryStart(string gitDirectory)
    {
        // The user asked for this repository to be read, whoever owns its folder.
        var command = new ProcessCommand("git", "-c", "safe.directory=*", "--git-dir", gitDirectory, "cat-file", "--batch")
        {
            OutputLimit = MaxErrorChars,
        };
        try
        {
            return new CatFileProcess(ProcessRunner.StartPiped(command));
        }
        catch (ProcessStartException)
        {
            return null;
        }
    }

    /// <summary>The object's bytes, or null when git answers that it has no such object (the process
    /// stays usable). Throws IOException when git stops answering, answers out of turn or the
    /// object is not of <paramref name="type"/>.</summary>
    public byte[]? Read(string id, string type = "blob") =>
        Read(id, type, size => GC.AllocateUninitializedArray<byte>(size)) is { } content ? content.Array : null;

    /// <summary>A blob's bytes in an array rented from <paramref name="pool"/> (the caller returns
    /// it); otherwise as <see cref="Read(string, string)"/>.</summary>
    public ArraySegment<byte>? ReadPooled(string id, ArrayPool<byte> pool) => Read(id, "blob", size => pool.Rent(size));

    private ArraySegment<byte>? Read(string id, string type, Func<int, byte[]> allocate)
    {
        try
        {
            _input.Write(Encoding.ASCII.GetBytes(id + "\n"));
            _input.Flush();
            string header = ReadHeader();
            string[] fields = header.Split(' ');
            if (fields.Length == 2)
            {
                return null;
            }
            if (fields.Length != 3 || fields[1] != type || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            {
                throw new EndOfStreamException($"unexpected answer '{header}'");
            }
            byte[] content = allocate(size);
            _output.ReadExactly(content, 0, size);
            if (_output.ReadByte() != '\n')
            {
                throw new EndOfStreamException();
            }
            return new ArraySegment<byte>(content, 0, size);
        }
        catch (IOException e)
        {
            string reason = _process.Output.ReplaceLineEndings(" ").Trim();
            throw new IOException($"{type} {id} could not be read: {(reason.Length > 0 ? reason : e.Message)}", e);
        }
    }

    private string ReadHeader()
    {
        var line = new StringBuilder(64);
        // An id, a type and a size: a header longer than this is not git talking.
        for (int i = 0; i < 256; i++)
        {
            int b = _output.ReadByte();
            if (b < 0)
            {
                throw new EndOfStreamException();
            }
            if (b == '\n')
            {
                return line.ToString();
            }
            line.Append((char)b);
        }
        throw new EndOfStreamException();
    }

    public void Dispose()
    {
        try
        {
            // End of input is git's cue to stop; one that does not is killed on dispose.
            _input.Close();
            _process.WaitForExit(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already gone: nothing left to stop.
        }
        _output.Dispose();
        _process.Dispose();
    }
}
