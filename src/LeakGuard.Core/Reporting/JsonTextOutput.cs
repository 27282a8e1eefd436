using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Core.Reporting;

/// <summary>A <see cref="Utf8JsonWriter"/> whose output goes to a <see cref="TextWriter"/> in
/// pieces of about 64 KiB: a report of a million findings is never held whole, nor twice (as
/// bytes, then as one string).</summary>
internal sealed class JsonTextOutput : IDisposable
{
    private const int Piece = 64 * 1024;

    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(Piece);

    public JsonTextOutput(TextWriter output, JsonWriterOptions options)
    {
        _output = output;
        Json = new Utf8JsonWriter(_buffer, options);
    }

    public Utf8JsonWriter Json { get; }

    /// <summary>Passes what is written on once it reaches a piece; call between values.</summary>
    public void FlushIfFull()
    {
        if (Json.BytesPending + _buffer.WrittenCount >= Piece)
        {
            Flush();
        }
    }

    /// <summary>Passes on everything written so far (complete values, so no character is split).</summary>
    public void Flush()
    {
        Json.Flush();
        _output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        _buffer.ResetWrittenCount();
    }

    public void Dispose() => Json.Dispose();
}
