using System.Text.Encodings.Web;
using System.Text.Json;
using LeakGuard.Core.Reporting;

namespace LeakGuard.Core.Tests.Reporting;

public class DetailsJsonTests
{
    /// <summary>Every kind of value findings carry in their details, and some they do not.</summary>
    private static readonly Dictionary<string, object?> Details = new()
    {
        ["text"] = "a \"quoted\" <tag> & é 😀 \u0001",
        ["none"] = null,
        ["flag"] = true,
        ["count"] = 42,
        ["bytes"] = 5_000_000_000L,
        ["similarity"] = 0.957,
        ["whole"] = 3.0,
        ["paths"] = new[] { "a.js", "b/c.ts" },
        ["list"] = new List<string> { "x" },
        ["locations"] = new Dictionary<string, object?> { ["count"] = 3, ["others"] = new List<string> { "a.js:3" } },
        ["sources"] = new Dictionary<string, object?> { ["firstParty"] = new[] { "src/a.ts" }, ["thirdParty"] = Array.Empty<string>() },
        ["numbers"] = new Dictionary<string, int> { ["a"] = 1 },
        ["set"] = new HashSet<string> { "only" },
        ["date"] = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero),
        ["day"] = DayOfWeek.Monday,
        ["ratio"] = 1.5f,
        ["mixed"] = new List<object?> { "a", 1, null, new Dictionary<string, object?> { ["b"] = false } },
    };

    [Fact]
    public void Details_are_written_exactly_as_the_serializer_writes_them()
    {
        Assert.Equal(JsonSerializer.Serialize(Details), DetailsJson.ToText(Details));
    }

    [Fact]
    public void Indented_with_relaxed_escaping_as_the_HTML_report_writes_them()
    {
        var encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        Assert.Equal(
            JsonSerializer.Serialize(Details, new JsonSerializerOptions { WriteIndented = true, Encoder = encoder }),
            DetailsJson.ToText(Details, new JsonWriterOptions { Indented = true, Encoder = encoder }));
    }
}
