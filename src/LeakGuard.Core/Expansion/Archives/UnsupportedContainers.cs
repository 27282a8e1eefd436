namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// Containers recognised by their magic bytes that LeakGuard does not expand. Such a file gets
/// one warning naming its format, so that what is inside it is known to be unscanned rather than
/// silently missed; it then goes on as any other file (binary content is not matched).
/// </summary>
internal static class UnsupportedContainers
{
    /// <summary>The format <paramref name="content"/> starts like, or null.</summary>
    public static string? Name(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("Rar!\u001A\u0007\u0000"u8) || content.StartsWith("Rar!\u001A\u0007\u0001\u0000"u8))
        {
            return "RAR";
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0x04, 0x22, 0x4D, 0x18]))
        {
            return "LZ4";
        }
        if (content.StartsWith("LZIP"u8))
        {
            return "lzip";
        }
        if (content.StartsWith("MSCF\0\0\0\0"u8))
        {
            return "Microsoft Cabinet";
        }
        // compress (.Z): the third byte holds the code width, 9 to 16 bits, and two bits always clear.
        if (content.Length >= 3 && content[0] == 0x1F && content[1] == 0x9D && (content[2] & 0x60) == 0 && (content[2] & 0x1F) is >= 9 and <= 16)
        {
            return "compress (.Z)";
        }
        return null;
    }
}
