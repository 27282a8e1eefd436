namespace LeakGuard.Core.Expansion.Archives;

/// <summary>One member of an archive read as a stream (a tar, a 7z) as its reader found it.</summary>
/// <param name="Length">The size its header declares: never trusted further than the reader's bounds.</param>
/// <param name="DataOffset">Where the member's data starts in the tar stream (a tar held in memory is sliced there).</param>
internal readonly record struct ArchiveMember(string Name, bool IsFile, long Length, long DataOffset);

/// <summary>Reads an archive's members in order, one at a time, from a stream that may not seek:
/// <see cref="TarArchiveReader"/> and <see cref="SevenZipArchiveReader"/>. What a member's data
/// costs to reach or pass over is charged by whoever decompresses (an <see cref="InflationMeter"/>).</summary>
internal interface IMemberReader
{
    /// <summary>The next member, or null at the end of the archive.</summary>
    /// <exception cref="InvalidDataException">The archive is damaged.</exception>
    /// <exception cref="EndOfStreamException">The archive ends inside a member.</exception>
    ArchiveMember? Next();

    /// <summary>The current member's data: at most its declared length.</summary>
    Stream OpenData();
}
