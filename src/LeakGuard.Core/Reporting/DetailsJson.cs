using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Core.Reporting;

/// <summary>
/// A finding's details as JSON, written value by value: the strings, numbers, flags, lists and
/// nested maps they hold go straight to the writer, exactly as <see cref="JsonSerializer"/> writes
/// them, and only another kind of value goes to the serializer. Its reflection-based first use
/// cost every scan that reported a finding ~30–45 ms of start-up (its metadata and code for
/// <c>object</c> values), in the JSON, text and HTML reports alike.
/// </summary>
public static class DetailsJson
{
    public static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteNumberValue(number);
                break;
            case IDictionary map when IsStringKeyed(map):
                json.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    json.WritePropertyName((string)entry.Key);
                    Write(json, entry.Value);
                }
                json.WriteEndObject();
                break;
            case IList items:
                json.WriteStartArray();
                foreach (object? item in items)
                {
                    Write(json, item);
                }
                json.WriteEndArray();
                break;
            default:
                JsonSerializer.Serialize(json, value, value.GetType());
                break;
        }
    }

    /// <summary><paramref name="value"/> as JSON text (the text and HTML reports).</summary>
    public static string ToText(object? value, JsonWriterOptions options = default)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            Write(json, value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsStringKeyed(IDictionary map) =>
        map.GetType() is { IsGenericType: true } type && type.GetGenericArguments()[0] == typeof(string);
}
