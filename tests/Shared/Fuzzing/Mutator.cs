using System.Buffers.Binary;
using System.Text;

namespace LeakGuard.Tests.Shared.Fuzzing;

/// <summary>
/// Seeded mutations of real samples, the kind a coverage-blind fuzzer makes: bit flips and
/// interesting bytes, truncations, deleted and copied ranges, splices with another sample, edits
/// of the numbers a format stores (little- and big-endian integers, ASCII decimal and octal
/// fields such as tar's), tokens of the format's dictionary inserted or repeated thousands of times
/// (nesting), and invalid UTF-8. One to four are stacked per input. The same seed gives the same
/// inputs.
/// </summary>
public sealed class Mutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'0', (byte)'7', (byte)'9', (byte)' ', (byte)'"', (byte)'\\', (byte)'/', 0x1F, 0x8B];

    private static readonly long[] InterestingNumbers =
        [0, 1, -1, 2, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 32, 1L << 40];

    private static readonly string[] InterestingNumerals =
        ["0", "-1", "1", "00000000000", "77777777777", "777777777777777777777", "99999999999999999999999", "4294967296", "2147483648", "-2147483649", "1e999", "0x10", "NaN"];

    private static readonly byte[][] InvalidUtf8 = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF, 0xFE], [0xE2, 0x82]];

    private readonly IReadOnlyList<byte[]> _samples;
    private readonly IReadOnlyList<byte[]> _dictionary;
    private readonly Random _random;
    private readonly int _maxLength;

    /// <param name="dictionary">Tokens of the format (keys, magic numbers, escapes) to insert.</param>
    public Mutator(IReadOnlyList<byte[]> samples, IReadOnlyList<string> dictionary, int seed)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples to mutate", nameof(samples));
        }
        _samples = samples;
        _dictionary = [.. dictionary.Select(Encoding.Latin1.GetBytes)];
        _random = new Random(seed);
        // Inputs stay near the samples' size: a fuzz execution tests a parser, not a bigger input.
        _maxLength = samples.Max(s => s.Length) * 2 + 64 * 1024;
    }

    public byte[] Next()
    {
        var data = new List<byte>(_samples[_random.Next(_samples.Count)]);
        int mutations = 1 + _random.Next(4);
        for (int i = 0; i < mutations; i++)
        {
            Mutate(data);
        }
        if (data.Count > _maxLength)
        {
            data.RemoveRange(_maxLength, data.Count - _maxLength);
        }
        return [.. data];
    }

    private void Mutate(List<byte> data)
    {
        switch (_random.Next(11))
        {
            case 0 when data.Count > 0:
                data[_random.Next(data.Count)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[_random.Next(data.Count)] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 2 when data.Count > 0:
                Truncate(data);
                break;
            case 3 when data.Count > 1:
            {
                int start = _random.Next(data.Count), length = Length(data.Count - start);
                data.RemoveRange(start, length);
                break;
            }
            case 4 when data.Count > 1:
            {
                int start = _random.Next(data.Count), length = Length(data.Count - start);
                data.InsertRange(Position(data), data.GetRange(start, length));
                break;
            }
            case 5:
                Splice(data);
                break;
            case 6 when data.Count >= 8:
                EditInteger(data);
                break;
            case 7:
                EditNumeral(data);
                break;
            case 8 when _dictionary.Count > 0:
                data.InsertRange(Position(data), _dictionary[_random.Next(_dictionary.Count)]);
                break;
            case 9 when _dictionary.Count > 0:
            {
                // Deep nesting and long runs: what recursion and per-item costs meet.
                byte[] token = _dictionary[_random.Next(_dictionary.Count)];
                int times = _random.Next(2) == 0 ? 1 + _random.Next(64) : 1000 + _random.Next(20_000);
                var run = new byte[Math.Min(token.Length * times, _maxLength)];
                for (int i = 0; i < run.Length; i++)
                {
                    run[i] = token[i % token.Length];
                }
                data.InsertRange(Position(data), run);
                break;
            }
            default:
                data.InsertRange(Position(data), InvalidUtf8[_random.Next(InvalidUtf8.Length)]);
                break;
        }
    }

    /// <summary>A place in the data, its end included.</summary>
    private int Position(List<byte> data) => _random.Next(data.Count + 1);

    /// <summary>Mostly short ranges, sometimes long ones.</summary>
    private int Length(int available) =>
        available <= 0 ? 0 : Math.Min(available, _random.Next(4) == 0 ? 1 + _random.Next(available) : 1 + _random.Next(Math.Min(available, 32)));

    private void Truncate(List<byte> data)
    {
        int keep = _random.Next(data.Count);
        data.RemoveRange(keep, data.Count - keep);
    }

    /// <summary>Part of another sample (or this one) at a random place: headers of one archive
    /// with the members of another.</summary>
    private void Splice(List<byte> data)
    {
        byte[] other = _samples[_random.Next(_samples.Count)];
        if (other.Length == 0)
        {
            return;
        }
        int start = _random.Next(other.Length);
        int length = Length(other.Length - start);
        if (_random.Next(2) == 0 && data.Count > 0)
        {
            int cut = Position(data);
            data.RemoveRange(cut, data.Count - cut);
        }
        data.InsertRange(Position(data), other.AsSpan(start, length).ToArray());
    }

    private void EditInteger(List<byte> data)
    {
        int width = (1 << _random.Next(4)) switch { 1 => 2, var w => w };
        int at = _random.Next(data.Count - width + 1);
        long current = width switch
        {
            2 => BinaryPrimitives.ReadUInt16LittleEndian(Slice(data, at, 2)),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(Slice(data, at, 4)),
            _ => BinaryPrimitives.ReadInt64LittleEndian(Slice(data, at, 8)),
        };
        long value = _random.Next(3) switch
        {
            0 => InterestingNumbers[_random.Next(InterestingNumbers.Length)],
            1 => current + _random.Next(-16, 17),
            _ => data.Count + _random.Next(-8, 9),
        };
        Span<byte> bytes = stackalloc byte[8];
        bool bigEndian = _random.Next(2) == 0;
        if (bigEndian)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            bytes = bytes[(8 - width)..];
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            bytes = bytes[..width];
        }
        for (int i = 0; i < width; i++)
        {
            data[at + i] = bytes[i];
        }
    }

    private static byte[] Slice(List<byte> data, int at, int length) => data.GetRange(at, length).ToArray();

    /// <summary>Replaces a run of digits near a random place (a JSON number, a tar size field, a
    /// version) with a numeral that matters: zero, negative, overflowing, octal-looking.</summary>
    private void EditNumeral(List<byte> data)
    {
        byte[] numeral = Encoding.ASCII.GetBytes(InterestingNumerals[_random.Next(InterestingNumerals.Length)]);
        int start = data.Count == 0 ? -1 : data.FindIndex(_random.Next(data.Count), IsDigit);
        if (start < 0)
        {
            data.InsertRange(Position(data), numeral);
            return;
        }
        int end = start;
        while (end < data.Count && IsDigit(data[end]))
        {
            end++;
        }
        // Keep the field's width when the numeral fits in it (tar's fixed-width octal fields).
        if (numeral.Length < end - start && _random.Next(2) == 0)
        {
            numeral = [.. Enumerable.Repeat((byte)'0', end - start - numeral.Length), .. numeral];
        }
        data.RemoveRange(start, end - start);
        data.InsertRange(start, numeral);
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
