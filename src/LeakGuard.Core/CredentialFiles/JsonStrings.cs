using System.Text.Json;

namespace LeakGuard.Core.CredentialFiles;

/// <summary>A string (or <c>true</c>) in a JSON file: the names of the properties it is under,
/// outermost first (an array adds no name), the index of the element it is in for each enclosing
/// array, and where its text is in the file.</summary>
internal readonly record struct JsonString(IReadOnlyList<string> Path, IReadOnlyList<int> Indices, int Start, int Length, string Value)
{
    /// <summary>The property whose value this is; empty for an array element.</summary>
    public string Name => Path.Count == 0 ? "" : Path[^1];
}

/// <summary>Reads every string value of a JSON file in one forward pass (comments and trailing
/// commas allowed, as editors write them; nesting at most 64 deep).</summary>
internal static class JsonStrings
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64,
    };

    /// <param name="withTrue">Also report <c>true</c> literals (as the value "true").</param>
    /// <returns>Why the file is not JSON (the strings before the fault were read), or null.</returns>
    public static string? Read(CredentialFileText file, Action<JsonString> value, bool withTrue = false)
    {
        var reader = new Utf8JsonReader(file.Content.Span, Options);
        var path = new List<string>();
        var indices = new List<int>();
        // Per open container: whether it pushed a name, and whether it is an array.
        var containers = new Stack<(bool Named, bool Array)>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray)
                    && containers.Count > 0 && containers.Peek().Array)
                {
                    indices[^1]++;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        bool array = reader.TokenType == JsonTokenType.StartArray;
                        containers.Push((property is not null, array));
                        if (property is not null)
                        {
                            path.Add(property);
                        }
                        if (array)
                        {
                            indices.Add(-1);
                        }
                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        if (containers.Count > 0)
                        {
                            var (named, wasArray) = containers.Pop();
                            if (named)
                            {
                                path.RemoveAt(path.Count - 1);
                            }
                            if (wasArray)
                            {
                                indices.RemoveAt(indices.Count - 1);
                            }
                        }
                        break;
                    case JsonTokenType.String or JsonTokenType.True when reader.TokenType == JsonTokenType.String || withTrue:
                        string[] names = property is null ? [.. path] : [.. path, property];
                        string text = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : "true";
                        int start = (int)reader.TokenStartIndex + (reader.TokenType == JsonTokenType.String ? 1 : 0);
                        value(new JsonString(names, [.. indices], start, reader.ValueSpan.Length, text));
                        property = null;
                        break;
                    default:
                        property = null;
                        break;
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"not valid JSON (line {e.LineNumber + 1})";
        }
    }
}
