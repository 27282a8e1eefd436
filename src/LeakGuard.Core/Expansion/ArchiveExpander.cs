using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion;

/// <summary>
/// Expands zip (jar, nupkg, whl, vsix…), tar, and gzip (tgz, tar.gz, .gz) by their magic bytes.
/// Members are read with hard bounds: the declared size is never trusted, every byte counts
/// against the input's <see cref="ExpansionBudget"/>, and a member that inflates past the ratio
/// limit is cut off and reported as a possible bomb. A corrupt or truncated archive becomes a
/// warning; the members read before the damage are still scanned.
/// </summary>
public sealed class ArchiveExpander(ScanOptions options) : IBlobExpander
{
    public enum Format
    {
        None,
        Zip,
        Tar,
        Gzip,
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
        return Format.None;
    }

    /// <summary>Expands <paramref name="blob"/> if it is an archive.</summary>
    public ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        var format = Detect(blob.Content.Span);
        if (format == Format.None)
        {
            return ExpansionResult.NotHandled;
        }
        if (blob.ArchiveDepth >= options.MaxArchiveDepth)
        {
            sink.Warn(blob.Path, $"archive not expanded: nested deeper than --max-archive-depth {options.MaxArchiveDepth}");
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
                        ExpandTar(blob, tar, blob.Content, budget, sink);
                    }
                    break;
                case Format.Gzip:
                    ExpandGzip(blob, budget, sink);
                    break;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException or NotSupportedException)
        {
            sink.Warn(blob.Path, $"{format.ToString().ToLowerInvariant()} archive is truncated or corrupt ({e.Message}); members before the damage were scanned");
        }
        return ExpansionResult.Replaced;
    }

    private void ExpandZip(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        using var archive = new ZipArchive(AsStream(blob.Content), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            if (entry.FullName.EndsWith('/') || budget.Exhausted)
            {
                continue;
            }
            if (!budget.TakeMember())
            {
                Bomb(blob, budget, sink, $"more than {options.MaxArchiveMembers} archive members", stop: true);
                return;
            }
            using var stream = entry.Open();
            var content = ReadBounded(blob, entry.FullName, stream, entry.CompressedLength, entry.Length, budget, sink);
            if (content is { } read)
            {
                sink.Member(Child(blob, entry.FullName, read));
            }
        }
    }

    /// <summary>Expands a tar read from <paramref name="archive"/>. When the tar is all in memory
    /// (<paramref name="inMemory"/>, the bytes <paramref name="archive"/> reads), members are
    /// slices of it; when it streams out of a gzip, each member is read once, bounded by
    /// <paramref name="compressedSize"/> (the .tgz's size) times the bomb ratio.</summary>
    private void ExpandTar(Blob blob, Stream archive, ReadOnlyMemory<byte>? inMemory, ExpansionBudget budget, IExpansionSink sink, long compressedSize = 0)
    {
        using var reader = new TarReader(archive);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null || budget.Exhausted)
            {
                continue;
            }
            if (!budget.TakeMember())
            {
                Bomb(blob, budget, sink, $"more than {options.MaxArchiveMembers} archive members", stop: true);
                return;
            }
            // An in-memory member is a slice of the archive, not a copy (a 60 MB map must not cost
            // another 60 MB), once its offset is found and checked against the reader's own bytes.
            if (inMemory is { } tar && archive.CanSeek && DataOffset(archive.Position, entry, tar.Span) is { } start)
            {
                if (SliceBounded(blob, entry.Name, entry.Length, budget, sink))
                {
                    sink.Member(Child(blob, entry.Name, tar.Slice((int)start, (int)entry.Length)));
                }
                continue;
            }
            var content = ReadBounded(blob, entry.Name, entry.DataStream, Math.Max(compressedSize, entry.Length), entry.Length, budget, sink);
            if (content is { } read)
            {
                sink.Member(Child(blob, entry.Name, read));
            }
        }
    }

    /// <summary>Where <paramref name="entry"/>'s data starts in <paramref name="tar"/>, or null.
    /// The reader leaves the archive stream either at the data or past it and its padding to the
    /// next 512-byte block; which one is the reader's business, so each candidate is accepted only
    /// when its first and last bytes are the ones the entry's own data stream returns.</summary>
    private static int? DataOffset(long position, TarEntry entry, ReadOnlySpan<byte> tar)
    {
        long length = entry.Length;
        long padded = (length + 511) / 512 * 512;
        Span<byte> expected = stackalloc byte[64];
        foreach (long start in (ReadOnlySpan<long>)[position - padded, position])
        {
            if (start < 0 || start + length > tar.Length)
            {
                continue;
            }
            var slice = tar.Slice((int)start, (int)length);
            int n = (int)Math.Min(expected.Length, length);
            bool same = true;
            foreach (long at in (ReadOnlySpan<long>)[0, length - n])
            {
                entry.DataStream!.Position = at;
                entry.DataStream.ReadExactly(expected[..n]);
                same &= slice.Slice((int)at, n).SequenceEqual(expected[..n]);
            }
            entry.DataStream!.Position = 0;
            if (same)
            {
                return (int)start;
            }
        }
        return null;
    }

    /// <summary>Checks an uncompressed member of <paramref name="length"/> bytes against the same
    /// limits as <see cref="ReadBounded"/>; false after a warning or bomb finding.</summary>
    private bool SliceBounded(Blob archive, string member, long length, ExpansionBudget budget, IExpansionSink sink)
    {
        if (length > options.MaxFileSize && options.MaxFileSize < budget.RemainingBytes)
        {
            sink.Warn($"{archive.Path}!{member}", $"skipped: larger than --max-file-size ({options.MaxFileSize:N0} bytes)");
            return false;
        }
        if (length > budget.RemainingBytes)
        {
            Bomb(archive, budget, sink, $"expanded content exceeds {options.MaxExpandedBytes:N0} bytes for one input", stop: true);
            return false;
        }
        budget.Spend(length);
        return true;
    }

    private void ExpandGzip(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        if (IsTarInside(blob.Content))
        {
            // A .tgz is one layer to the user: pkg.tgz!package/index.js, not pkg.tgz!pkg.tar!….
            // Its tar streams out of the gzip: only one member at a time is in memory.
            using var tar = new GZipStream(AsStream(blob.Content), CompressionMode.Decompress);
            ExpandTar(blob, tar, inMemory: null, budget, sink, blob.Content.Length);
            return;
        }
        using var gzip = new GZipStream(AsStream(blob.Content), CompressionMode.Decompress);
        // ISIZE, the gzip trailer's inflated size (mod 4 GiB), sizes the buffer once; it is only a hint.
        long inflatedSize = blob.Content.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(blob.Content.Span[^4..]) : 0;
        if (ReadBounded(blob, "", gzip, blob.Content.Length, inflatedSize, budget, sink) is not { } content)
        {
            return;
        }
        string name = Path.GetFileName(blob.MemberPath);
        name = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name + ".out";
        sink.Member(Child(blob, name, content));
    }

    /// <summary>Inflates the first tar header's worth of a gzip to see whether it holds a tar.</summary>
    private static bool IsTarInside(ReadOnlyMemory<byte> gzipped)
    {
        using var gzip = new GZipStream(AsStream(gzipped), CompressionMode.Decompress);
        var header = new byte[512];
        int read = gzip.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return Detect(header.AsSpan(0, read)) == Format.Tar;
    }

    /// <summary>Reads a member, or returns null after a warning or bomb finding.
    /// <paramref name="sizeHint"/> (the size the archive declares) presizes the buffer when it is
    /// within the limits, so a large member is neither regrown nor copied out again.</summary>
    private ReadOnlyMemory<byte>? ReadBounded(Blob archive, string member, Stream stream, long compressedSize, long sizeHint, ExpansionBudget budget, IExpansionSink sink)
    {
        long ratioLimit = Math.Max(options.RatioFloor, compressedSize * options.MaxCompressionRatio);
        long limit = Math.Min(Math.Min(options.MaxFileSize, budget.RemainingBytes), ratioLimit);
        var buffer = new MemoryStream(sizeHint > 0 && sizeHint <= limit ? (int)sizeHint : 0);
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                string where = member.Length == 0 ? archive.Path : $"{archive.Path}!{member}";
                if (limit == ratioLimit)
                {
                    Bomb(archive, budget, sink, $"member '{member}' inflates beyond {options.MaxCompressionRatio}x its compressed size ({compressedSize:N0} bytes)", stop: false);
                }
                else if (limit == budget.RemainingBytes)
                {
                    Bomb(archive, budget, sink, $"expanded content exceeds {options.MaxExpandedBytes:N0} bytes for one input", stop: true);
                }
                else
                {
                    sink.Warn(where, $"skipped: larger than --max-file-size ({options.MaxFileSize:N0} bytes)");
                }
                budget.Spend(buffer.Length);
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        budget.Spend(buffer.Length);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>Reports a bomb once per input: a member that inflates too far is skipped and the
    /// rest expanded (<paramref name="stop"/> false); an exhausted budget stops the input.</summary>
    private static void Bomb(Blob archive, ExpansionBudget budget, IExpansionSink sink, string reason, bool stop)
    {
        bool reported = budget.Exhausted || budget.BombReported;
        budget.Exhausted |= stop;
        budget.BombReported = true;
        if (reported)
        {
            return;
        }
        var rule = AnalyzerRules.ArchiveBomb;
        sink.Report(new Finding
        {
            RuleId = rule.Id,
            Kind = rule.Kind,
            Severity = rule.Severity,
            Title = rule.Name,
            Location = new Location { Path = archive.Path, Package = archive.Origin?.Package, Version = archive.Origin?.Version, Commit = archive.Origin?.Commit },
            Fingerprint = SecretText.Fingerprint(rule.Id, archive.FingerprintPath, reason),
            Details = new Dictionary<string, object?> { ["reason"] = reason },
        });
    }

    private static Blob Child(Blob archive, string member, ReadOnlyMemory<byte> content) => archive.Member(member.TrimStart('/'), content);

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
