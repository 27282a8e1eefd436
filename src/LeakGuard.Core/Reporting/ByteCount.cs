namespace LeakGuard.Core.Reporting;

/// <summary>Sizes for people: binary multiples with one decimal, as the CLI's size options read.</summary>
internal static class ByteCount
{
    private static readonly string[] Units = ["KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024)
        {
            return $"{bytes} B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return $"{value:0.0} {Units[unit]}";
    }
}
