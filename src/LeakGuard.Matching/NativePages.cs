using System.Runtime.InteropServices;

namespace LeakGuard.Matching;

/// <summary>
/// Maps a range of memory's pages in one call instead of one fault each: on the virtual machines
/// LeakGuard runs on a page fault costs ~10 µs, and a start-up that reads and deserialises two
/// 5 MB Hyperscan databases took ~5,600 of them. Where the kernel refuses the advice (before Linux
/// 5.14, other systems) the pages are faulted in as before.
/// </summary>
public static unsafe class NativePages
{
    private const int MadvPopulateRead = 22;
    private const int MadvPopulateWrite = 23;

    /// <summary>Maps the pages of a file mapping that will be read.</summary>
    public static void PopulateRead(byte* start, nuint length) => Advise(start, length, MadvPopulateRead);

    /// <summary>Maps the pages of memory that will be written (fresh pages come zeroed; pages
    /// already written keep their content).</summary>
    public static void PopulateWrite(byte* start, nuint length) => Advise(start, length, MadvPopulateWrite);

    /// <summary>Below this a call costs about what the faults it saves do.</summary>
    public const int WorthwhileBytes = 256 * 1024;

    /// <summary>Maps the pages of <paramref name="array"/>[<paramref name="start"/>, +<paramref name="length"/>)
    /// before they are written, when there are enough of them to be worth a call: a large pooled
    /// array is fresh memory the first time it is rented. Its content does not change.</summary>
    public static void PopulateWrite(byte[] array, int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, array.Length);
        if (length >= WorthwhileBytes)
        {
            fixed (byte* p = array)
            {
                PopulateWrite(p + start, (nuint)length);
            }
        }
    }

    private static void Advise(byte* start, nuint length, int advice)
    {
        if (!OperatingSystem.IsLinux() || length == 0)
        {
            return;
        }
        // Only whole pages: the advice is refused for an address that is not page-aligned.
        nuint page = (nuint)Environment.SystemPageSize;
        nuint first = ((nuint)start + page - 1) & ~(page - 1);
        nuint end = ((nuint)start + length) & ~(page - 1);
        if (end > first)
        {
            _ = Madvise((byte*)first, end - first, advice);
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(byte* address, nuint length, int advice);
}
