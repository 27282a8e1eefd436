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
/// costs its own bytes plus one source at a time — no DOM, no document-sized string — and the
/// sources waiting for another core to match them (a bounded amount, <see cref="Scanning.Scanner"/>).
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
            for (int index = 0; index < outline.Contents.Count; index++)
            {
                var text = outline.Contents[index];
                if (!text.IsText)
                {
                    continue;
                }
                string name = index < outline.Sources.Count && outline.Sources[index] is { Length: > 0 } source ? source : $"sourcesContent[{index}]";
                if (text.Length > options.MemberLimit)
                {
                    sink.Warn($"{map.Path}!{name}", $"skipped: larger than {options.MemberLimitText}");
                    stats.Add(name, text.Length, expanded: false);
                    continue;
                }
                if (!Expanding || !Take(text.Length))
                {
                    stats.Add(name, text.Length, expanded: false);
                    continue;
                }
                var inPlace = json.Slice(text.Start, text.Length);
                if (!text.Escaped)
                {
                    // Unescaped text is the source itself: scan it in place.
                    Emit(name, map.Member(name, inPlace, map.Lasting));
                    continue;
                }
                byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(text.Length, 1));
                if (!JsonStringText.TryUnescape(inPlace.Span, buffer, out int length))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    // An escape that is not text (a lone surrogate) or bytes that are not UTF-8:
                    // the source is scanned as it stands in the map, where the JSON string
                    // decoder still reads what it can of its escapes.
                    sink.Warn($"{map.Path}!{name}", "embedded source is not valid text once unescaped; scanned as it is escaped in the map");
                    Emit(name, map.Member(name, inPlace, map.Lasting));
                    continue;
                }
                // The pooled buffer goes back once the source has been matched, here or on
                // another core; scanned at once, the next source rents it again.
                Emit(name, map.Member(name, buffer.AsMemory(0, length)), () => ArrayPool<byte>.Shared.Return(buffer));
            }
            if (outline.Unlisted.Count > 0)
            {
                // More sources than an input may have members: none of these can be expanded.
                Reason ??= budget is null ? null : budget.TooManyMembers;
                stats.AddUnlisted(outline.Unlisted.Count, outline.Unlisted.Bytes);
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

        /// <param name="release">Returns the source's pooled buffer; null when its bytes are the map's.</param>
        private void Emit(string name, Blob source, Action? release = null)
        {
            budget!.Spend(source.Content.Length);
            stats.Add(name, source.Content.Length);
            if (release is null)
            {
                sink.Member(source);
            }
            else
            {
                sink.Member(source, release);
            }
        }
    }
}
