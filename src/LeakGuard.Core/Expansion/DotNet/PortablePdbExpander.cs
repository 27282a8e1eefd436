using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Scanning;
using Blob = LeakGuard.Core.Scanning.Blob;

namespace LeakGuard.Core.Expansion.DotNet;

/// <summary>
/// Expands portable PDBs — standalone (.pdb, as in a .snupkg) or embedded in a DLL's debug
/// directory (DebugType embedded) — into the sources they embed (EmbedAllSources): each becomes
/// a member named dll!document-path, and the PDB as a whole an exposure for its package to
/// settle. Source Link JSON is reported with the repository URLs it reveals. Sizes declared in
/// the file are checked against the scan's limits before anything is inflated.
/// </summary>
public sealed class PortablePdbExpander(ScanOptions options) : IBlobExpander
{
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid SourceLink = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        var content = blob.Content.Span;
        bool standalone = content.StartsWith("BSJB"u8);
        if (!standalone && !content.StartsWith("MZ"u8))
        {
            return ExpansionResult.NotHandled;
        }
        IDisposable? share = null;
        try
        {
            // A PDB gets a share of the budget once it is known to be one. Without a share nothing
            // is inflated, but a standalone PDB's embedded sources are still counted.
            share = standalone ? budget.Open(blob, sink) : null;
            using var provider = standalone ? MetadataReaderProvider.FromPortablePdbStream(AsStream(blob.Content)) : EmbeddedPdb(blob, budget, sink, out share);
            if (provider is null)
            {
                return ExpansionResult.NotHandled;
            }
            Expand(blob, provider.GetMetadataReader(), share is null ? null : budget, sink);
        }
        // System.Reflection.Metadata throws OverflowException too, for a stream count the
        // metadata header cannot hold.
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or InvalidDataException or ArgumentException or IOException
            or OverflowException)
        {
            // A DLL that is not a valid PE is just a binary file; a damaged PDB is worth a word.
            if (standalone)
            {
                sink.Warn(blob.Path, $"portable PDB is malformed ({e.Message})");
            }
            return ExpansionResult.NotHandled;
        }
        finally
        {
            share?.Dispose();
        }
        return ExpansionResult.ExpandedAndScan;
    }

    /// <summary>The PDB in a PE file's debug directory, when there is one and its declared size fits.</summary>
    /// <param name="share">The DLL's share of the budget, opened when it has an embedded PDB.</param>
    private MetadataReaderProvider? EmbeddedPdb(Blob blob, ExpansionBudget budget, IExpansionSink sink, out IDisposable? share)
    {
        share = null;
        using var pe = new PEReader(AsStream(blob.Content));
        foreach (var entry in pe.ReadDebugDirectory())
        {
            if (entry.Type != DebugDirectoryEntryType.EmbeddedPortablePdb)
            {
                continue;
            }
            // "MPDB", then the inflated size: checked here because the reader trusts it.
            var header = blob.Content.Span.Slice(entry.DataPointer, 8);
            int size = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            share = budget.Open(blob, sink);
            if (share is null)
            {
                return null;
            }
            if (size < 0 || size > Limit(budget, entry.DataSize))
            {
                sink.Warn(blob.Path, $"embedded PDB not read: it declares {size:N0} bytes, beyond the scan's limits");
                return null;
            }
            budget.Spend(size);
            return pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry);
        }
        return null;
    }

    /// <param name="budget">The PDB's share of the budget; null when it has none, and then
    /// embedded sources are only counted for the exposure.</param>
    private void Expand(Blob blob, MetadataReader reader, ExpansionBudget? budget, IExpansionSink sink)
    {
        var stats = new EmbeddedSourceStats();
        string? spent = null;
        foreach (var handle in reader.CustomDebugInformation)
        {
            var info = reader.GetCustomDebugInformation(handle);
            var kind = reader.GetGuid(info.Kind);
            if (kind == SourceLink)
            {
                ReportSourceLink(blob, reader.GetBlobBytes(info.Value), sink);
            }
            else if (kind == EmbeddedSource && info.Parent.Kind == HandleKind.Document)
            {
                string name = reader.GetString(reader.GetDocument((DocumentHandle)info.Parent).Name);
                bool generated = EmbeddedSourceStats.IsCompilerGenerated(name);
                if (budget is not null && spent is null && !budget.TakeMember())
                {
                    spent = budget.TooManyMembers;
                }
                if (budget is null || spent is not null)
                {
                    stats.Add(name, DeclaredSize(reader.GetBlobReader(info.Value)), generated, expanded: false);
                    continue;
                }
                if (ReadSource(reader.GetBlobReader(info.Value), budget!) is not { } source)
                {
                    sink.Warn($"{blob.Path}!{name.TrimStart('/')}", "embedded source not read: its declared size is beyond the scan's limits");
                    continue;
                }
                stats.Add(name, source.Length, generated);
                sink.Member(blob.Member(name.TrimStart('/'), source, lasting: true));
            }
        }
        if (spent is not null && stats.NotExpanded > 0)
        {
            sink.Warn(blob.Path, $"PDB not fully expanded: {stats.NotExpanded:N0} of its {stats.Count:N0} embedded sources were not scanned ({spent}); its exposure counts them all");
        }
        if (stats.Count > 0)
        {
            sink.Release.Add(new EmbeddedSourceExposure(AnalyzerRules.PdbEmbeddedSources, blob, stats));
        }
    }

    /// <summary>An embedded source's size as it declares it, without inflating it.</summary>
    private static long DeclaredSize(BlobReader value)
    {
        int format = value.ReadInt32();
        return format == 0 ? value.RemainingBytes : Math.Max(format, 0);
    }

    /// <summary>An embedded source: an int32 format (0 = stored, else the inflated size of the
    /// deflated bytes that follow), then the bytes.</summary>
    private byte[]? ReadSource(BlobReader value, ExpansionBudget budget)
    {
        int format = value.ReadInt32();
        byte[] stored = value.ReadBytes(value.RemainingBytes);
        if (format == 0)
        {
            budget.Spend(stored.Length);
            return stored;
        }
        if (format < 0 || format > Limit(budget, stored.Length))
        {
            return null;
        }
        var inflated = new byte[format];
        using var deflate = new DeflateStream(new MemoryStream(stored), CompressionMode.Decompress);
        int read = deflate.ReadAtLeast(inflated, format, throwOnEndOfStream: false);
        budget.Spend(read);
        return read == format ? inflated : inflated[..read];
    }

    /// <summary>What one inflated item may declare: the file-size limit, the input's remaining
    /// budget, and the bomb ratio (past its floor).</summary>
    private long Limit(ExpansionBudget budget, long compressedSize) =>
        Math.Min(Math.Min(options.MemberLimit, budget.RemainingBytes), Math.Max(options.RatioFloor, compressedSize * options.MaxCompressionRatio));

    private static void ReportSourceLink(Blob blob, byte[] json, IExpansionSink sink)
    {
        var urls = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String && reader.CurrentDepth == 2)
                {
                    urls.Add(reader.GetString()!);
                }
            }
        }
        catch (JsonException e)
        {
            sink.Warn(blob.Path, $"Source Link JSON is malformed ({e.Message})");
            return;
        }
        if (urls.Count == 0)
        {
            return;
        }
        // Templates of a private server may carry user:token@ or a signed query: findings keep neither.
        urls = [.. urls.Select(RedactedUrl.Of)];
        var rule = AnalyzerRules.SourceLink;
        var details = blob.Origin?.Details is { } known ? new Dictionary<string, object?>(known) : [];
        details["repositories"] = urls.Select(RepositoryOf).Distinct(StringComparer.Ordinal).ToArray();
        details["urls"] = urls.ToArray();
        sink.Report(new Finding
        {
            RuleId = rule.Id,
            Kind = rule.Kind,
            Severity = rule.Severity,
            Title = rule.Name,
            Location = new Location { Path = blob.Path, Commit = blob.Origin?.Commit, Author = blob.Origin?.Author, Date = blob.Origin?.Date, Package = blob.Origin?.Package, Version = blob.Origin?.Version },
            Fingerprint = SecretText.Fingerprint(rule.Id, blob.FingerprintPath, string.Join('\n', urls)),
            Details = details,
        });
    }

    /// <summary>The repository a Source Link URL template serves files from: raw.githubusercontent.com's
    /// /org/repo/commit/* becomes https://github.com/org/repo; other hosts keep the template's fixed part.</summary>
    private static string RepositoryOf(string template)
    {
        string fixedPart = template.Split('*')[0];
        if (Uri.TryCreate(fixedPart, UriKind.Absolute, out var uri) && uri.Host == "raw.githubusercontent.com")
        {
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length >= 2)
            {
                return $"https://github.com/{segments[0]}/{segments[1]}";
            }
        }
        return fixedPart;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
