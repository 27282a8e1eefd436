namespace LeakGuard.Cli;

/// <summary>Parses sizes such as 1048576, 512k, 100MB, 2GiB (binary multiples).</summary>
internal static class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        string t = text.Trim();
        int split = t.Length;
        while (split > 0 && !char.IsAsciiDigit(t[split - 1]))
        {
            split--;
        }
        if (!long.TryParse(t[..split], out long number) || number < 0)
        {
            return false;
        }
        long unit = t[split..].ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            _ => 0,
        };
        if (unit == 0 || number > long.MaxValue / unit)
        {
            return false;
        }
        bytes = number * unit;
        return true;
    }
}
