using System.Text.Json;

namespace LeakGuard.Core.Expansion.SourceMaps;

/// <summary>
/// The first of two passes over a source map: one forward read with <see cref="Utf8JsonReader"/>
/// that checks the whole document is well-formed JSON and notes where things are — the source
/// names, the offset of the sourcesContent array (which may come before or after "sources"), and
/// each index-map section's embedded map — without materialising any source text. The second
/// pass (<see cref="SourceMapExpander"/>) reads sourcesContent from that offset, one string at a time.
/// </summary>
internal sealed class SourceMapOutline
{
    /// <summary>JSON nesting a source map never needs; deeper input is hostile.</summary>
    public const int MaxDepth = 64;

    /// <summary>A source name longer than this is not a path; its member is named by index instead.</summary>
    public const int MaxSourceNameBytes = 4096;

    public int? Version { get; private set; }
    public bool HasMappings { get; private set; }

    /// <summary>The names in "sources", as far as they are kept (see <see cref="Read"/>).</summary>
    public List<string?> Sources { get; } = [];

    /// <summary>Offset of sourcesContent's '[' in the span read, or -1.</summary>
    public int ContentsStart { get; private set; } = -1;

    /// <summary>Index map sections: their maps' offsets and lengths in the span read.</summary>
    public List<(int Start, int Length)> Sections { get; } = [];

    public bool IsSourceMap => Version == 3 && (HasMappings || Sections.Count > 0);

    /// <param name="maxNames">How many source names to keep: no more can be expanded (the member
    /// cap), and a map listing more is still a map whose exposure must be reported.</param>
    /// <exception cref="JsonException">The bytes are not well-formed JSON, or not an object.</exception>
    public static SourceMapOutline Read(ReadOnlySpan<byte> json, int maxNames)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var outline = new SourceMapOutline();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a source map is a JSON object");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (NameIs(ref reader, "version"u8))
            {
                reader.Read();
                outline.Version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int version) ? version : null;
            }
            else if (NameIs(ref reader, "mappings"u8))
            {
                reader.Read();
                outline.HasMappings = reader.TokenType == JsonTokenType.String;
            }
            else if (NameIs(ref reader, "sources"u8))
            {
                reader.Read();
                outline.ReadSources(ref reader, maxNames);
            }
            else if (NameIs(ref reader, "sourcesContent"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    outline.ContentsStart = (int)reader.TokenStartIndex;
                }
                reader.Skip();
            }
            else if (NameIs(ref reader, "sections"u8))
            {
                reader.Read();
                outline.ReadSections(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // The reader only promises well-formedness for what it has read: finish the document.
        while (reader.Read())
        {
        }
        return outline;
    }

    private void ReadSources(ref Utf8JsonReader reader, int maxNames)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (Sources.Count >= maxNames)
            {
                reader.Skip();
                continue;
            }
            bool named = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= MaxSourceNameBytes;
            Sources.Add(named ? NameOrNull(ref reader) : null);
            reader.Skip();
        }
    }

    /// <summary>Whether the property name is <paramref name="name"/>. A name that is not text once
    /// unescaped (an escaped lone surrogate) is no key a map has; ValueTextEquals throws on it.</summary>
    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A name that is not text (invalid UTF-8, an escaped lone surrogate) is no path: its
    /// member is named by its index instead.</summary>
    private static string? NameOrNull(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void ReadSections(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isMap = NameIs(ref reader, "map"u8);
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isMap && reader.TokenType == JsonTokenType.EndObject)
                {
                    Sections.Add((start, (int)reader.BytesConsumed - start));
                }
            }
        }
    }
}
