using System.Text.Json;

namespace LeakGuard.Core.Expansion.SourceMaps;

/// <summary>
/// The first of two passes over a source map: one forward read with <see cref="Utf8JsonReader"/>
/// that checks the whole document is well-formed JSON and notes where things are — the source
/// names, where each string of sourcesContent lies (which may come before or after "sources"),
/// and each index-map section's embedded map — without materialising any source text. The second
/// pass (<see cref="SourceMapExpander"/>) takes the strings from there, one at a time, without
/// parsing them again (<see cref="JsonStringText"/>).
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

    /// <summary>sourcesContent's entries, as far as they are kept (the first <c>maxNames</c>, see <see cref="Read"/>).</summary>
    public List<EmbeddedText> Contents { get; private set; } = [];

    /// <summary>sourcesContent's strings past those kept, and their escaped bytes: no more can be
    /// expanded, but the map's exposure counts them.</summary>
    public (int Count, long Bytes) Unlisted { get; private set; }

    /// <summary>One entry of sourcesContent: where its string's escaped bytes (between the quotes)
    /// lie in the span read, and whether it holds an escape; <see cref="IsText"/> false for an
    /// entry that is not a string (null for a source without content).</summary>
    public readonly record struct EmbeddedText(int Start, int Length, bool Escaped, bool IsText);

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
                outline.ReadContents(ref reader, maxNames);
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

    private void ReadContents(ref Utf8JsonReader reader, int maxEntries)
    {
        // A repeated key: the last one is the map's, as for a JSON parser.
        Contents = [];
        Unlisted = default;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            bool text = reader.TokenType == JsonTokenType.String;
            if (Contents.Count < maxEntries)
            {
                Contents.Add(text
                    ? new EmbeddedText((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped, IsText: true)
                    : default);
            }
            else if (text)
            {
                Unlisted = (Unlisted.Count + 1, Unlisted.Bytes + reader.ValueSpan.Length);
            }
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
