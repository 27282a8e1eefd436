using System.Buffers;
using System.Text.Json;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Expansion.SourceMaps;

/// <summary>
/// Expands a source map (a .map file, or any JSON object with "version": 3 and "mappings" or
/// "sections") into its embedded original sources: each non-null sourcesContent[i] becomes a
/// member named map!sources[i], scanned with its own line numbers, and the map as a whole becomes
/// one exposure for its package to settle. The map is read from its bytes in two forward passes
/// (<see cref="SourceMapOutline"/>, then sourcesContent one string at a time), so a 100 MB map
/// costs its own bytes plus one source at a time — no DOM, no document-sized string.
/// A malformed map is a warning and is scanned as plain text instead.
/// </summary>
public sealed class SourceMapExpander(ScanOptions options) : IBlobExpander
{
    public ExpansionResult Expand(Blob blob, ExpansionBudget budget, IExpansionSink sink)
    {
        var content = blob.Content.Span;
        int start = JsonStart(content);
        bool named = blob.MemberPath.EndsWith(".map", StringComparison.OrdinalIgnoreCase);
        if (start >= content.Length || content[start] != '{' ||
            (!named && content.IndexOf("\"mappings\""u8) < 0 && content.IndexOf("\"sections\""u8) < 0))
        {
            return ExpansionResult.NotHandled;
        }
        SourceMapOutline outline;
        try
        {
            outline = SourceMapOutline.Read(content[start..], options.MaxArchiveMembers);
        }
        catch (JsonException e)
        {
            if (named)
            {
                sink.Warn(blob.Path, $"source map is malformed ({e.Message}); scanned as text");
            }
            return ExpansionResult.NotHandled;
        }
        if (!outline.IsSourceMap)
        {
            if (named)
            {
                sink.Warn(blob.Path, "not a version 3 source map; scanned as text");
            }
            return ExpansionResult.NotHandled;
        }
        if (blob.ArchiveDepth >= options.MaxArchiveDepth)
        {
            sink.Warn(blob.Path, $"source map not expanded: nested deeper than --max-archive-depth {options.MaxArchiveDepth}; scanned as text");
            return ExpansionResult.NotHandled;
        }
        // Every embedded source counts towards the map's exposure, expanded or not: a map too
        // large for what is left of the budget still exposes what it embeds.
        var stats = new EmbeddedSourceStats();
        using (var share = budget.Open(blob, sink))
        {
            var emit = new Emitter(blob, stats, share is null ? null : budget, options, sink);
            var json = blob.Content[start..];
            emit.Sources(json, outline);
            foreach (var (sectionStart, length) in outline.Sections)
            {
                var section = json.Slice(sectionStart, length);
                // The outer pass proved the section well-formed; a section that is itself an index
                // map is against the spec and not followed (it would nest without bound).
                emit.Sources(section, SourceMapOutline.Read(section.Span, options.MaxArchiveMembers));
            }
            if (emit.Reason is not null && stats.NotExpanded > 0)
            {
                sink.Warn(blob.Path, $"source map not fully expanded: {stats.NotExpanded:N0} of its {stats.Count:N0} embedded sources were not scanned ({emit.Reason}); its exposure counts them all");
            }
        }
        if (stats.Count > 0)
        {
            sink.Release.Add(new EmbeddedSourceExposure(AnalyzerRules.SourceMapSources, blob, stats));
        }
        return ExpansionResult.Replaced;
    }

    /// <summary>Where the JSON starts: after a UTF-8 byte order mark, white space, and the
    /// ")]}'" line the spec lets servers prepend against cross-site script inclusion.</summary>
    private static int JsonStart(ReadOnlySpan<byte> content)
    {
        int i = content.StartsWith("\xEF\xBB\xBF"u8) ? 3 : 0;
        if (content[i..].StartsWith(")]}"u8))
        {
            int newline = content[i..].IndexOf((byte)'\n');
            i = newline < 0 ? content.Length : i + newline + 1;
        }
        while (i < content.Length && content[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
        return i;
    }

    /// <summary>Turns a map's sourcesContent into members while its share of the budget lasts
    /// (<paramref name="budget"/> null: the map has none), and counts every source in <paramref name="stats"/>.</summary>
    private sealed class Emitter(Blob map, EmbeddedSourceStats stats, ExpansionBudget? budget, ScanOptions options, IExpansionSink sink)
    {
        /// <summary>Why sources were left unexpanded, once one was.</summary>
        public string? Reason { get; private set; }

        /// <summary>Whether sources are still turned into members (not once the map has no share
        /// left, or had none: <see cref="ExpansionBudget.Open"/> said so then).</summary>
        private bool Expanding => budget is not null && Reason is null;

        public void Sources(ReadOnlyMemory<byte> json, SourceMapOutline outline)
        {
            if (outline.ContentsStart < 0)
            {
                return;
            }
            var array = json[outline.ContentsStart..];
            var reader = new Utf8JsonReader(array.Span, new JsonReaderOptions { MaxDepth = SourceMapOutline.MaxDepth });
            reader.Read();
            int index = -1;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                index++;
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }
                string name = index < outline.Sources.Count && outline.Sources[index] is { Length: > 0 } source ? source : $"sourcesContent[{index}]";
                int escapedLength = reader.ValueSpan.Length;
                if (escapedLength > options.MemberLimit)
                {
                    sink.Warn($"{map.Path}!{name}", $"skipped: larger than {options.MemberLimitText}");
                    stats.Add(name, escapedLength, expanded: false);
                    continue;
                }
                if (!Expanding || !Take(escapedLength))
                {
                    stats.Add(name, escapedLength, expanded: false);
                    continue;
                }
                if (!reader.ValueIsEscaped)
                {
                    // Unescaped text is the source itself: scan it in place.
                    int offset = (int)reader.TokenStartIndex + 1;
                    Emit(name, array.Slice(offset, escapedLength));
                    continue;
                }
                byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(escapedLength, 1));
                try
                {
                    if (!TryUnescape(ref reader, buffer, out int length))
                    {
                        // An escape that is not text (a lone surrogate) or bytes that are not UTF-8:
                        // the source is scanned as it stands in the map, where the JSON string
                        // decoder still reads what it can of its escapes.
                        sink.Warn($"{map.Path}!{name}", "embedded source is not valid text once unescaped; scanned as it is escaped in the map");
                        Emit(name, array.Slice((int)reader.TokenStartIndex + 1, escapedLength));
                        continue;
                    }
                    // Members are scanned depth-first and released before this returns, so the
                    // pooled buffer is free again for the next source.
                    Emit(name, buffer.AsMemory(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        private static bool TryUnescape(ref Utf8JsonReader reader, byte[] buffer, out int length)
        {
            try
            {
                length = reader.CopyString(buffer);
                return true;
            }
            catch (InvalidOperationException)
            {
                length = 0;
                return false;
            }
        }

        /// <summary>Takes a member and room for <paramref name="bytes"/> from the map's share, or
        /// notes why not: from then on sources are only counted.</summary>
        private bool Take(int bytes)
        {
            if (budget!.RemainingBytes < bytes)
            {
                Reason = budget.TooManyBytes;
                return false;
            }
            if (!budget.TakeMember())
            {
                Reason = budget.TooManyMembers;
                return false;
            }
            return true;
        }

        private void Emit(string name, ReadOnlyMemory<byte> source)
        {
            budget!.Spend(source.Length);
            stats.Add(name, source.Length);
            sink.Member(map.Member(name, source));
        }
    }
}
