using LeakGuard.Core.Scanning;
using SharpCompress.Archives.SevenZip;
using SharpCompress.Readers;

namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// Reads a 7z's members in order through SharpCompress, one at a time, as a tar is read out of a
/// gzip: a solid block is decoded as one stream and never held whole. Every byte decoded is
/// charged to the expansion budget (an <see cref="InflationMeter"/> on each member), including
/// the rest of a member that was skipped or cut off, which has to be decoded to reach the next
/// one in its block; once the budget runs out, reading ends (<see cref="Exceeded"/>).
/// SharpCompress's own exceptions on a damaged archive become <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class SevenZipArchiveReader : IMemberReader, IDisposable
{
    /// <summary>How far SharpCompress reads a block's compressed input ahead of what it has
    /// handed out (its LZMA input buffer, whatever ReaderOptions.BufferSize says).</summary>
    public const int ReadAhead = 128 * 1024 + 64;

    private readonly SevenZipArchive _archive;
    private readonly IReader _reader;
    private readonly ExpansionBudget _budget;
    private InflationMeter? _current;

    private SevenZipArchiveReader(SevenZipArchive archive, ExpansionBudget budget)
    {
        _archive = archive;
        _budget = budget;
        _reader = archive.ExtractAllEntries();
    }

    /// <summary>Set once the budget ran out while a member was decoded or passed over.</summary>
    public bool Exceeded { get; private set; }

    /// <summary>Opens the 7z in <paramref name="compressed"/>; null when it is encrypted (its
    /// members, or its file list too), which the caller reports once for the whole archive.</summary>
    /// <exception cref="InvalidDataException">The archive is damaged.</exception>
    public static SevenZipArchiveReader? Open(Stream compressed, ExpansionBudget budget)
    {
        SevenZipArchive? archive = null;
        try
        {
            archive = (SevenZipArchive)SevenZipArchive.OpenArchive(compressed, new ReaderOptions { LeaveStreamOpen = true });
            if (archive.IsEncrypted)
            {
                archive.Dispose();
                return null;
            }
            return new SevenZipArchiveReader(archive, budget);
        }
        catch (SharpCompress.Common.CryptographicException)
        {
            archive?.Dispose();
            return null;
        }
        catch (Exception e) when (DecoderFailures.IsDecoderFailure(e))
        {
            archive?.Dispose();
            throw DecoderFailures.Damaged("7z", e);
        }
    }

    public ArchiveMember? Next()
    {
        try
        {
            PassOver();
            while (_reader.MoveToNextEntry())
            {
                var entry = _reader.Entry;
                if (entry.IsDirectory)
                {
                    continue;
                }
                _current = new InflationMeter(new DecoderFailures(_reader.OpenEntryStream(), "7z"), _budget);
                return new ArchiveMember(entry.Key ?? "", IsFile: true, entry.Size, DataOffset: 0);
            }
            return null;
        }
        catch (Exception e) when (DecoderFailures.IsDecoderFailure(e))
        {
            throw DecoderFailures.Damaged("7z", e);
        }
    }

    /// <summary>What is left of the current member is decoded and charged, not left to
    /// SharpCompress to skip uncounted.</summary>
    private void PassOver()
    {
        if (_current is not { } member)
        {
            return;
        }
        _current = null;
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (member.Read(scratch, 0, scratch.Length) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            Exceeded |= member.Exceeded;
            member.Dispose();
        }
        if (Exceeded)
        {
            throw new EndOfStreamException("the expansion budget ended inside a member");
        }
    }

    /// <summary>The current member's data, charged to the budget as it is read. The stream
    /// stays the reader's: it is drained and closed on the next <see cref="Next"/>.</summary>
    public Stream OpenData() => new MemberData(this);

    public void Dispose()
    {
        if (_current is not null)
        {
            // Cut off inside a member: closing its stream must not decode the rest uncounted.
            _reader.Cancel();
            _current.Dispose();
        }
        _reader.Dispose();
        _archive.Dispose();
    }

    /// <summary>The current member through its meter; running over the budget ends it early,
    /// which the caller sees as a member cut short (<see cref="Exceeded"/>).</summary>
    private sealed class MemberData(SevenZipArchiveReader reader) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (reader._current is not { } member)
            {
                return 0;
            }
            int read = member.Read(buffer, offset, count);
            if (member.Exceeded)
            {
                reader.Exceeded = true;
                throw new EndOfStreamException("the expansion budget ended inside a member");
            }
            return read;
        }
    }
}
