using System.Buffers;
using System.IO.Compression;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// Expands zip (jar, nupkg, whl, vsix…), tar, 7z, and the single-stream compressions gzip, xz,
/// zstd and bzip2 (.gz, .xz, .zst, .bz2, and the tars inside them: .tgz, .txz, .tzst, .tbz2) by
/// their magic bytes; tar headers and zip directories are read by LeakGuard's own
/// <see cref="TarArchiveReader"/> and <see cref="ZipCentralDirectory"/>, the decoders are the
/// framework's (gzip) and maintained libraries' (<see cref="StreamCompression"/>,
/// <see cref="SevenZipArchiveReader"/>). A container of a kind that is not expanded (RAR…) is a
/// warning (<see cref="UnsupportedContainers"/>). Members are read with hard bounds: the declared size is never
/// trusted, every byte counts against the archive's share of the input's
/// <see cref="ExpansionBudget"/>, and a member that inflates past the ratio limit is cut off and
/// reported as a possible bomb. What is over budget is skipped, not the rest of the archive: a
/// member too large for what is left is skipped, a nested archive that runs out of its own share
/// is cut off, and the members after either are still scanned. A corrupt or truncated archive
/// becomes a warning; the members read before the damage are still scanned (in a zip, every member
/// that is not itself damaged).
/// </summary>
public sealed class ArchiveExpander(ScanOptions options) : IBlobExpander
{
    public enum Format
    {
        None,
        Zip,
        Tar,
        Gzip,
        Xz,
        Zstd,
        Bzip2,
        SevenZip,
    }

    public static Format Detect(ReadOnlySpan<byte> content)
    {
        if (content.Length >= 4 && content[0] == 'P' && content[1] == 'K' && content[2] is 3 or 5 && content[3] is 4 or 6)
        {
            return Format.Zip;
        }
        if (content.Length >= 3 && content[0] == 0x1F && content[1] == 0x8B && content[2] == 8)
        {
            return Format.Gzip;
        }
        if (content.Length >= 263 && content.Slice(257, 5).SequenceEqual("ustar"u8))
        {
            return Format.Tar;
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return Format.Xz;
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return Format.Zstd;
        }
        // "BZh" and the block size, '1' to '9'.
        if (content.Length >= 4 && content.StartsWith("BZh"u8) && content[3] is >= (byte)'1' and <= (byte)'9')
        {
            return Format.Bzip2;
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return Format.SevenZip;
        }
        return Format.None;
    }

    /// <summary>Expands <paramref name="blob"/> if it is an archive.</summary>
    public ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        var format = Detect(blob.Content.Span);
        if (format == Format.None)
        {
            if (UnsupportedContainers.Name(blob.Content.Span) is { } kind)
            {
                sink.Warn(blob.Path, $"{kind} archive not expanded: the format is not supported; its members were not scanned");
            }
            return ExpansionResult.NotHandled;
        }
        if (blob.ArchiveDepth >= options.MaxArchiveDepth)
        {
            sink.Warn(blob.Path, $"archive not expanded: nested deeper than --max-archive-depth {options.MaxArchiveDepth}");
            return ExpansionResult.Replaced;
        }
        using var share = budget.Open(blob, sink);
        if (share is null)
        {
            return ExpansionResult.Replaced;
        }
        try
        {
            switch (format)
            {
                case Format.Zip:
                    ExpandZip(blob, budget, sink);
                    break;
                case Format.Tar:
                    using (var tar = AsStream(blob.Content))
                    {
                        ExpandMembers(blob, new TarArchiveReader(tar, message => sink.Warn(blob.Path, message)), blob.Content, budget, sink);
                    }
                    break;
                case Format.SevenZip:
                    ExpandSevenZip(blob, budget, sink);
                    break;
                default:
                    ExpandCompressed(blob, StreamCompression.For(format), budget, sink);
                    break;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            string name = format == Format.SevenZip ? "7z" : format.ToString().ToLowerInvariant();
            sink.Warn(blob.Path, $"{name} archive is truncated or corrupt ({e.Message}); members before the damage were scanned");
        }
        return ExpansionResult.Replaced;
    }

    /// <summary>Members in central-directory order, read lazily; a damaged member is a warning of its own.</summary>
    private void ExpandZip(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        foreach (var entry in ZipCentralDirectory.Files(blob.Content))
        {
            if (!budget.TakeMember())
            {
                CutOff(blob, budget, sink, budget.TooManyMembers);
                return;
            }
            if (entry.Encrypted)
            {
                sink.Warn(MemberPath(blob, entry.Name), "not read: the member is encrypted");
                continue;
            }
            if (entry.Method is not (ZipEntry.Stored or ZipEntry.Deflated))
            {
                sink.Warn(MemberPath(blob, entry.Name), $"not read: compression method {entry.Method} is not supported (stored and deflate are)");
                continue;
            }
            ReadOnlyMemory<byte>? stored = null;
            MemberBuffer? inflated = null;
            try
            {
                var data = ZipCentralDirectory.Data(blob.Content, entry);
                if (entry.Method == ZipEntry.Stored)
                {
                    stored = Fits(blob, entry.Name, data.Length, budget, sink) ? Spent(data, budget) : null;
                }
                else
                {
                    var compressed = AsStream(data);
                    using var deflate = new DeflateStream(compressed, CompressionMode.Decompress);
                    inflated = ReadBounded(blob, entry.Name, deflate, data.Length, () => compressed.Position,
                        () => new DeflateStream(AsStream(data), CompressionMode.Decompress), entry.Size, budget, sink, metered: false);
                }
            }
            catch (InvalidDataException e)
            {
                sink.Warn(MemberPath(blob, entry.Name), $"not read: the member is damaged ({e.Message})");
                continue;
            }
            if (stored is { } slice)
            {
                Member(sink, blob, entry.Name, slice);
            }
            else if (inflated is not null)
            {
                Member(sink, blob, entry.Name, inflated);
            }
        }
    }

    /// <summary>Expands a tar or a 7z, member by member. When a tar is all in memory (<paramref name="inMemory"/>, the bytes the
    /// reader reads), members are slices of it, not copies (a 60 MB map must not cost another 60 MB).
    /// When it streams out of a decoder (a .tgz, .txz…, or a 7z's blocks), every byte inflated is
    /// charged as it is read (through an <see cref="InflationMeter"/>), and each member is held to
    /// the bomb ratio against the compressed bytes inflating it took (<paramref name="compressedRead"/>,
    /// the compressed input's position, plus <paramref name="readAhead"/>, how far the decoder reads ahead).
    /// False when the archive was stopped before its end (the member cap, the budget).</summary>
    private bool ExpandMembers(Blob blob, IMemberReader reader, ReadOnlyMemory<byte>? inMemory, ExpansionBudget budget, IExpansionSink sink,
        long compressedSize = 0, Func<long>? compressedRead = null, int readAhead = 0)
    {
        while (reader.Next() is { } entry)
        {
            if (!entry.IsFile)
            {
                continue;
            }
            if (!budget.TakeMember())
            {
                CutOff(blob, budget, sink, budget.TooManyMembers);
                return false;
            }
            if (inMemory is { } tar)
            {
                if (entry.Length > tar.Length - entry.DataOffset)
                {
                    throw new EndOfStreamException($"the archive ends inside '{entry.Name}'");
                }
                if (Fits(blob, entry.Name, entry.Length, budget, sink))
                {
                    Member(sink, blob, entry.Name, Spent(tar.Slice((int)entry.DataOffset, (int)entry.Length), budget));
                }
            }
            else if (entry.Length > budget.RemainingBytes)
            {
                // Its bytes would have to be inflated to reach the next member.
                CutOff(blob, budget, sink, budget.TooManyBytes);
                return false;
            }
            else if (Fits(blob, entry.Name, entry.Length, budget, sink))
            {
                // The decoder reads ahead of what it has inflated: what this member took is
                // what was read since it started, plus at most what was read ahead.
                long start = compressedRead!();
                if (ReadBounded(blob, entry.Name, reader.OpenData(), compressedSize, () => compressedRead() - start + readAhead,
                        reopen: null, entry.Length, budget, sink, metered: true) is { } read)
                {
                    Member(sink, blob, entry.Name, read);
                }
            }
        }
        return true;
    }

    /// <summary>A single compressed file, or the tar inside it (.tgz, .txz, .tzst, .tbz2), which is
    /// one layer to the user: pkg.tgz!package/index.js, not pkg.tgz!pkg.tar!…. The tar streams out
    /// of the decoder: only one member at a time is in memory.</summary>
    private void ExpandCompressed(Blob blob, StreamCompression compression, ExpansionBudget budget, IExpansionSink sink)
    {
        if (IsTarInside(blob.Content, compression))
        {
            using var compressed = AsStream(blob.Content);
            using var tar = new InflationMeter(compression.Open(compressed), budget);
            try
            {
                var reader = new TarArchiveReader(tar, message => sink.Warn(blob.Path, message));
                // The tar ends before the compressed stream does (its end blocks, record padding):
                // the rest is decoded too, through the meter, so a cut or damaged end is a warning.
                if (ExpandMembers(blob, reader, inMemory: null, budget, sink, blob.Content.Length, () => compressed.Position, compression.ReadAhead))
                {
                    tar.CopyTo(Stream.Null);
                }
            }
            catch (EndOfStreamException) when (tar.Exceeded)
            {
                // The budget ended the stream, not the archive: said below.
            }
            if (tar.Exceeded)
            {
                CutOff(blob, budget, sink, budget.TooManyBytes);
            }
            return;
        }
        var input = AsStream(blob.Content);
        using var decoded = compression.Open(input);
        if (ReadBounded(blob, "", decoded, blob.Content.Length, () => input.Position,
                () => compression.Open(AsStream(blob.Content)), compression.SizeHint(blob.Content.Span), budget, sink, metered: false) is not { } content)
        {
            return;
        }
        Member(sink, blob, compression.InnerName(Path.GetFileName(blob.MemberPath)), content);
    }

    /// <summary>A 7z's members, read in order like a compressed tar's (see <see cref="SevenZipArchiveReader"/>).</summary>
    private void ExpandSevenZip(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        using var compressed = AsStream(blob.Content);
        using var reader = SevenZipArchiveReader.Open(compressed, budget);
        if (reader is null)
        {
            sink.Warn(blob.Path, "7z archive is encrypted; its members were not read");
            return;
        }
        try
        {
            ExpandMembers(blob, reader, inMemory: null, budget, sink, blob.Content.Length, () => compressed.Position, SevenZipArchiveReader.ReadAhead);
        }
        catch (EndOfStreamException) when (reader.Exceeded)
        {
            CutOff(blob, budget, sink, budget.TooManyBytes);
        }
    }

    /// <summary>Inflates the first tar header's worth of a compressed file to see whether it holds a tar.</summary>
    private static bool IsTarInside(ReadOnlyMemory<byte> compressed, StreamCompression compression)
    {
        var header = new byte[512];
        int read;
        try
        {
            using var decoded = compression.Open(AsStream(compressed));
            read = decoded.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // Damaged within its first 512 bytes: read as a single file, which says so.
            return false;
        }
        return Detect(header.AsSpan(0, read)) == Format.Tar;
    }

    /// <summary>Whether a member that declares <paramref name="length"/> bytes may be read: false
    /// after a warning (larger than --max-file-size) or a bomb finding (more than the archive has left).</summary>
    private bool Fits(Blob archive, string member, long length, ExpansionBudget budget, IExpansionSink sink)
    {
        if (length > options.MemberLimit && options.MemberLimit < budget.RemainingBytes)
        {
            sink.Warn(MemberPath(archive, member), $"skipped: larger than {options.MemberLimitText}");
            return false;
        }
        if (length > budget.RemainingBytes)
        {
            OverBudget(archive, member, budget, sink);
            return false;
        }
        return true;
    }

    private static ReadOnlyMemory<byte> Spent(ReadOnlyMemory<byte> member, ExpansionBudget budget)
    {
        budget.Spend(member.Length);
        return member;
    }

    /// <summary>Reads a member, or returns null after a warning or bomb finding. <paramref name="sizeHint"/>
    /// (the size the archive declares) presizes the buffer when it is within the limits, so a large
    /// member is neither regrown nor copied out again. A <paramref name="metered"/> stream charges
    /// what is read itself.
    /// <para>With <paramref name="reopen"/> (a zip member or a .gz, whose compressed bytes are all in
    /// memory), the member is judged against its whole compressed size (<paramref name="compressedSize"/>),
    /// but held in memory only while its ratio so far (<paramref name="compressedSoFar"/>) is within
    /// the limit: past that it is only counted, and read again once it has ended within the limits.
    /// So a bomb costs the ratio floor in memory, not 200x its size, and several at once do not add
    /// up to gigabytes. Without it (a .tgz's member, which streams past once) the member is judged
    /// as it is read, against <paramref name="compressedSoFar"/>.</para></summary>
    private MemberBuffer? ReadBounded(Blob archive, string member, Stream stream, long compressedSize, Func<long> compressedSoFar,
        Func<Stream>? reopen, long sizeHint, ExpansionBudget budget, IExpansionSink sink, bool metered)
    {
        long remaining = budget.RemainingBytes;
        long limit = Math.Min(options.MemberLimit, remaining);
        long RatioLimit(long compressed) => Math.Max(options.RatioFloor, compressed * options.MaxCompressionRatio);
        bool presized = sizeHint > 0 && sizeHint <= Math.Min(Math.Min(limit, RatioLimit(compressedSize)), Array.MaxLength);
        MemberBuffer? held = new(presized ? sizeHint : 0);
        long total = 0;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (true)
            {
                // Into the member's buffer where the archive declared a size within the limits (one copy
                // less of every byte), else in chunks of one size: what a member over the limits is
                // charged (all but its last chunk) does not depend on the buffer's room.
                var free = held is null || !presized ? [] : held.Free(chunk.Length);
                bool direct = free.Length > 0;
                int read = stream.Read(direct ? free : chunk);
                if (read == 0)
                {
                    break;
                }
                total += read;
                long soFar = compressedSoFar();
                long compressed = reopen is null ? soFar : compressedSize;
                if (total > limit || total > RatioLimit(compressed))
                {
                    if (total > RatioLimit(compressed))
                    {
                        string reason = $"member '{member}' inflates beyond {options.MaxCompressionRatio}x its compressed size ({compressed:N0} bytes)";
                        budget.Cut(sink, archive, MemberPath(archive, member), reason, warning: null);
                    }
                    else if (total > remaining)
                    {
                        if (!metered)
                        {
                            OverBudget(archive, member, budget, sink);
                        }
                    }
                    else
                    {
                        sink.Warn(MemberPath(archive, member), $"skipped: larger than {options.MemberLimitText}");
                    }
                    if (!metered)
                    {
                        budget.Spend(total - read);
                    }
                    held?.Return();
                    return null;
                }
                if (reopen is not null && held is not null && total > RatioLimit(soFar))
                {
                    held.Return();
                    held = null;
                }
                if (direct)
                {
                    held?.Advance(read);
                }
                else
                {
                    held?.Append(chunk.AsSpan(0, read));
                }
            }
        }
        catch
        {
            held?.Return();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        if (!metered)
        {
            budget.Spend(total);
        }
        if (held is not null)
        {
            return held;
        }
        // It ended within the limits: read it again, into a buffer of the size now known.
        var exact = new MemberBuffer(total);
        using var again = reopen!();
        if (!exact.Fill(again, (int)total))
        {
            exact.Return();
            throw new InvalidDataException($"'{member}' inflated to a different length the second time");
        }
        return exact;
    }

    /// <summary>A member larger than what its archive has left is skipped; the members after it
    /// are still read (they may be smaller).</summary>
    private static void OverBudget(Blob archive, string member, ExpansionBudget budget, IExpansionSink sink)
    {
        budget.Cut(sink, archive, MemberPath(archive, member), budget.TooManyBytes, $"skipped: {budget.TooManyBytes}; later members are still scanned");
    }

    /// <summary>An archive that ran out of its share stops; if it is nested, the archive around it goes on.</summary>
    private static void CutOff(Blob archive, ExpansionBudget budget, IExpansionSink sink, string reason) =>
        budget.Cut(sink, archive, archive.Path, reason, $"not fully expanded: {reason}; later members were not read");

    /// <summary>A member that is a slice of the archive: its bytes last as long as the archive's.</summary>
    private static void Member(IExpansionSink sink, Blob archive, string member, ReadOnlyMemory<byte> slice) =>
        sink.Member(archive.Member(Name(member), slice, archive.Lasting));

    /// <summary>A member read into a pooled buffer of its own (<see cref="ReadBounded"/>): the
    /// buffer goes back to the pool once the scan is done with the member, here or on another core.</summary>
    private static void Member(IExpansionSink sink, Blob archive, string member, MemberBuffer read) =>
        sink.Member(archive.Member(Name(member), read.Content), read.Return);

    private static string Name(string member) => member.TrimStart('/');

    private static string MemberPath(Blob archive, string member) => member.Length == 0 ? archive.Path : $"{archive.Path}!{member}";

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
