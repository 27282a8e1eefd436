namespace LeakGuard.Core.Expansion.Decoding;

/// <summary>Hex digits as they appear in escapes (either case).</summary>
internal static class HexDigit
{
    /// <summary>The digit's value, or -1 when <paramref name="c"/> is not a hex digit.</summary>
    public static int Value(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Reads four hex digits (the XXXX of <c>\uXXXX</c>).</summary>
    public static bool TryRead4(ReadOnlySpan<byte> input, out int value)
    {
        value = 0;
        if (input.Length < 4)
        {
            return false;
        }
        for (int i = 0; i < 4; i++)
        {
            int digit = Value(input[i]);
            if (digit < 0)
            {
                return false;
            }
            value = (value << 4) | digit;
        }
        return true;
    }
}
