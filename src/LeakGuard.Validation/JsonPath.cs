using System.Globalization;
using System.Text.Json;

namespace LeakGuard.Validation;

/// <summary>The dotted paths validators name JSON values by: <c>user.login</c>, <c>data.0.id</c>
/// (a number is an array index; <c>*</c> each element: <c>access_scopes.*.handle</c>). An array
/// of scalars, and what <c>*</c> finds, read as their values joined by spaces.</summary>
internal static class JsonPath
{
    public static string? Text(JsonElement root, string path)
    {
        var at = root;
        string[] steps = path.Split('.');
        for (int i = 0; i < steps.Length; i++)
        {
            string step = steps[i];
            if (step == "*" && at.ValueKind == JsonValueKind.Array && i < steps.Length - 1)
            {
                string rest = string.Join('.', steps[(i + 1)..]);
                return string.Join(' ', at.EnumerateArray().Select(e => Text(e, rest)).Where(t => t is { Length: > 0 }));
            }
            if (at.ValueKind == JsonValueKind.Object && at.TryGetProperty(step, out var child))
            {
                at = child;
            }
            else if (at.ValueKind == JsonValueKind.Array && int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                && index < at.GetArrayLength())
            {
                at = at[index];
            }
            else
            {
                return null;
            }
        }
        return at.ValueKind switch
        {
            JsonValueKind.String => at.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => at.GetRawText(),
            JsonValueKind.Array => string.Join(' ', at.EnumerateArray().Where(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
            _ => null,
        };
    }
}
